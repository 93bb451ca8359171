// crmkit course website: a link at the top of every chapter, exercise and solution
// page to the same page in the other edition (中文版 <-> English). Works offline and
// from disk: it only rewrites this page's own path.
document.addEventListener("DOMContentLoaded", function () {
  var path = window.location.pathname;
  var m = path.match(/\/(zh|en)\/(notebooks|exercises)\//);
  if (!m) {
    return;
  }
  var other = m[1] === "zh" ? "en" : "zh";
  var link = document.createElement("a");
  link.href = path.replace("/" + m[1] + "/" + m[2] + "/", "/" + other + "/" + m[2] + "/");
  link.className = "crmkit-edition-switch";
  link.lang = other;
  link.textContent = other === "en" ? "English edition →" : "中文版 →";
  link.style.cssText = "float:right;font-weight:600;margin:0 0 0.5em 1em";
  var article = document.querySelector("article") || document.body;
  article.insertBefore(link, article.firstChild);
});
