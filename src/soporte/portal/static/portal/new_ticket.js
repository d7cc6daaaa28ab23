// The new-ticket form: fill in what the browser knows (browser and system, time zone, the page
// the customer came from) where the customer left the field empty.
(function () {
  "use strict";
  var form = document.getElementById("new-ticket");
  if (!form) { return; }
  function fill(name, value) {
    var input = form.elements[name];
    if (input && !input.value && value) { input.value = value; }
  }
  function browserOs(ua) {
    var browser = "", os = "", m;
    if ((m = ua.match(/Edg(?:e|A|iOS)?\/(\d+)/))) { browser = "Edge " + m[1]; }
    else if ((m = ua.match(/OPR\/(\d+)/))) { browser = "Opera " + m[1]; }
    else if ((m = ua.match(/SamsungBrowser\/(\d+)/))) { browser = "Samsung Internet " + m[1]; }
    else if ((m = ua.match(/(?:Firefox|FxiOS)\/(\d+)/))) { browser = "Firefox " + m[1]; }
    else if ((m = ua.match(/(?:Chrome|CriOS)\/(\d+)/))) { browser = "Chrome " + m[1]; }
    else if ((m = ua.match(/Version\/(\d+)(?:\.\d+)*.*Safari\//))) { browser = "Safari " + m[1]; }
    if (/Windows NT/.test(ua)) { os = "Windows"; }
    else if (/iPhone|iPad|iPod/.test(ua)) { os = "iOS"; }
    else if (/CrOS/.test(ua)) { os = "ChromeOS"; }
    else if (/Android/.test(ua)) { os = "Android"; }
    else if (/Mac OS X|Macintosh/.test(ua)) { os = "macOS"; }
    else if (/Linux/.test(ua)) { os = "Linux"; }
    if (browser && os) {
      return (form.dataset.browserOs || "BROWSER on SYSTEM")
        .replace("BROWSER", browser).replace("SYSTEM", os);
    }
    return browser || os || ua.slice(0, 200);
  }
  try { fill("browser_os", browserOs(navigator.userAgent || "")); } catch (e) {}
  try { fill("started_zone", Intl.DateTimeFormat().resolvedOptions().timeZone); } catch (e) {}
  try {
    var from = document.referrer;
    if (from && from.indexOf(window.location.origin + "/") !== 0) { fill("url", from); }
  } catch (e) {}
})();
