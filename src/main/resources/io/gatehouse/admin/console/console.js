// Progressive enhancement only: the console works without it. A copy button for a newly shown secret.
document.querySelectorAll("button[data-copy]").forEach(function (b) {
  var target = document.getElementById(b.getAttribute("data-copy"));
  if (!target || !navigator.clipboard) return;
  b.hidden = false;
  b.addEventListener("click", function () {
    navigator.clipboard.writeText(target.textContent).then(function () {
      b.textContent = "Copied";
    }, function () {
      b.textContent = "Copy failed: select the text";
    });
  });
});
