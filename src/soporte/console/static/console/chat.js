/* A chat ticket's page: new messages appear without reload. A long-poll
 * (data-chat-wait) answers when the ticket has messages after the last one shown; the page
 * then fetches itself and swaps in the conversation's messages, leaving the reply form as it
 * is (the agent may be typing). */
(function () {
  "use strict";
  var section = document.querySelector("[data-chat-wait]");
  if (!section) { return; }
  var url = section.getAttribute("data-chat-wait");

  function last() {
    var ids = Array.prototype.map.call(section.querySelectorAll("article.message"), function (a) {
      return parseInt(a.id.replace("message-", ""), 10) || 0;
    });
    return ids.length ? Math.max.apply(null, ids) : 0;
  }

  function refresh() {
    return fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-chat-wait]");
      if (!fresh) { return; }
      var anchor = section.querySelector("form.reply, p.read-only");
      section.querySelectorAll("article.message").forEach(function (a) { a.remove(); });
      fresh.querySelectorAll("article.message").forEach(function (a) {
        section.insertBefore(document.importNode(a, true), anchor);
      });
    });
  }

  function wait() {
    fetch(url + "?after=" + last(), { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (json) {
      return json.messages.length ? refresh() : null;
    }).then(wait, function () { setTimeout(wait, 3000); });
  }
  wait();
})();
