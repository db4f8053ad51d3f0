# Sourced by ./gatehouse and bin/dist.sh: the JVM flags of the launchers, in one place (the distribution's
# bin/gatehouse gets the same values written in when `./gatehouse dist` builds it).
# `serve`: small heap and serial GC (RSS); the others: quick to start, no optimizing compiler.
SERVE_OPTS="-XX:+UseSerialGC -Xms24m -Xmx96m -Xmn8m -XX:SurvivorRatio=4 -XX:TargetSurvivorRatio=90 -XX:InlineSmallCode=1000 -XX:MaxInlineLevel=9 -XX:TrimNativeHeapInterval=2000 -Xss512k -XX:ReservedCodeCacheSize=40m -XX:MaxMetaspaceSize=96m -XX:MaxDirectMemorySize=32m --enable-native-access=ALL-UNNAMED"
CLI_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED"
