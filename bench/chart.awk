# SVG chart of a bench/vs-peers.sh TSV: two panels (req/s, p99 ms); per scenario and concurrency one bar per
# server, in the order the rows came. Plain awk, no plotting package.  awk -F'\t' -f bench/chart.awk RUN.tsv > RUN.svg
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
function floor_(x) { return x < int(x) ? int(x) - 1 : int(x) }
function step_for(m,   st, e, f) {   # a 1-2-5 step giving about five grid lines up to m
  if (m <= 0) m = 1
  st = m / 5; e = 10 ^ floor_(log(st) / log(10)); f = st / e
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * e
}
function text(x, y, s, size, anchor, extra) {
  printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\"%s>%s</text>\n", x, y, size, anchor, extra, esc(s)
}
function panel(top, title, col, fmt,   a, m, st, ymax, y, g, s, k, v, x, h, bw, gw) {
  m = 0
  for (k in val) { split(k, a, SUBSEP); if (a[3] == col && val[k] > m) m = val[k] }
  m *= 1.06   # room for the value above the highest bar
  st = step_for(m); ymax = st * (int(m / st) + (m % st > 0 || m == 0 ? 1 : 0))
  text(L, top - 12, title, 14, "start", " font-weight=\"bold\"")
  for (y = 0; y <= ymax + st / 2; y += st) {
    h = top + PH - y / ymax * PH
    printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L, L + PW, h, h
    text(L - 6, h + 4, sprintf(st < 1 ? "%.1f" : "%d", y), 11, "end", "")
  }
  gw = PW / ng; bw = gw * 0.8 / ns; if (bw > 80) bw = 80
  for (g = 1; g <= ng; g++) {
    for (s = 1; s <= ns; s++) {
      k = grp[g] SUBSEP srv[s] SUBSEP col
      x = L + (g - 1) * gw + (gw - ns * bw) / 2 + (s - 1) * bw
      if (!(k in val)) { text(x + (bw - 2) / 2, top + PH - 3, "no data", 10, "middle", " fill=\"#999\""); continue }
      v = val[k]; h = v / ymax * PH
      printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>\n",
        x, top + PH - h, bw - 2, h, color[s], esc(srv[s]), esc(grp[g]), v
      text(x + (bw - 2) / 2, top + PH - h - 3, sprintf(fmt, v), 10, "middle", "")
    }
    text(L + (g - 0.5) * gw, top + PH + 16, grp[g], 12, "middle", "")
  }
  printf "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", L, L + PW, top + PH, top + PH
}
/^# date: / { date = substr($0, 9) }
/^# machine: / { machine = substr($0, 12) }
/^# loadavg: / { load = substr($0, 3) }
/^# java: / { java = substr($0, 9); gsub(/"/, "", java); sub(/^openjdk version /, "", java) }
/^# node: / { node = substr($0, 3) }
/^# wrk / { wrk = substr($0, 3) }
/^#/ || $1 == "server" || NF < 6 { next }
{
  k = $2 " c=" $3
  if (!(k in gi)) { gi[k] = ++ng; grp[ng] = k }
  if (!($1 in si)) { si[$1] = ++ns; srv[ns] = $1 }
  val[k, $1, "rps"] = $4; val[k, $1, "p99"] = $6
}
END {
  split("#1f77b4 #ff7f0e #2ca02c #9467bd", color, " ")
  W = 960; L = 70; PW = W - L - 20; PH = 260; T1 = 126; T2 = T1 + PH + 90; H = T2 + PH + 40
  printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", W, H, W, H
  printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H
  text(L, 24, "client_credentials at the token endpoint (bench/bench.sh --vs-peers)", 16, "start", " font-weight=\"bold\"")
  text(L, 44, date "  " machine "  " load, 11, "start", " fill=\"#555\"")
  if (java != "") text(L, 58, "java " java ", " node "; " wrk, 11, "start", " fill=\"#555\"")
  for (s = 1; s <= ns; s++) {
    printf "<rect x=\"%d\" y=\"72\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", L + (s - 1) * 200, color[s]
    text(L + (s - 1) * 200 + 18, 83, srv[s], 12, "start", "")
  }
  panel(T1, "Throughput (req/s, higher is better)", "rps", "%.0f")
  panel(T2, "p99 latency (ms, lower is better)", "p99", "%.1f")
  print "</svg>"
}
