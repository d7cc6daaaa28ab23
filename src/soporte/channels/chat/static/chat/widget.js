/* soporte live chat widget. Embed on the host page:
 *   <script src="https://<soporte>/chat/widget.js" data-user-email="…" data-organisation="…"
 *           data-signature="…" data-user-name="…" data-lang="es|en" async></script>
 * Plain JS, no framework, no request to anyone but the desk it was loaded from. The desk's JSON
 * endpoints answer CORS for the host page; the conversation token (header X-Chat-Token) is kept
 * in the host page's localStorage so a reload resumes the chat. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[src*='/chat/widget.js']");
  if (!script || window.__soporteChat) { return; }
  window.__soporteChat = true;
  var BASE = new URL(script.src, location.href).origin;
  var data = script.dataset;
  var browserLang = (navigator.language || "es").toLowerCase();
  var LANG = (data.lang || browserLang).toLowerCase().indexOf("en") === 0 ? "en" : "es";
  var T = {
    es: {
      launcher: "Chatea con soporte", title: "Soporte TrackMyVend", close: "Cerrar el chat",
      emailLabel: "Tu correo electrónico", emailHelp: "Para responderte si te vas.",
      start: "Iniciar chat", messageLabel: "Tu mensaje", send: "Enviar",
      attach: "Adjuntar una captura de pantalla", end: "Terminar el chat",
      ended: "El chat terminó. Te enviamos la conversación por correo.",
      again: "Iniciar otro chat", failed: "No se pudo enviar; reintentando…",
      you: "Tú", newMessages: "mensajes nuevos", log: "Conversación",
      offline: "Sin conexión con soporte; reintentando…",
      surveyQuestion: "¿Cómo lo hicimos con este ticket?", surveyThanks: "¡Gracias por tu respuesta!",
      surveyComment: "¿Algo que quieras agregar? (opcional)", surveySend: "Enviar comentario",
      surveySaved: "Guardamos tu comentario.", surveyChange: "Puedes cambiar tu respuesta.",
      faqs: "Preguntas frecuentes", suggested: "Estos artículos podrían responder tu pregunta:"
    },
    en: {
      launcher: "Chat with support", title: "TrackMyVend support", close: "Close the chat",
      emailLabel: "Your email", emailHelp: "So we can answer you if you leave.",
      start: "Start chat", messageLabel: "Your message", send: "Send",
      attach: "Attach a screenshot", end: "End chat",
      ended: "The chat has ended. We emailed you the conversation.",
      again: "Start another chat", failed: "Could not send; retrying…",
      you: "You", newMessages: "new messages", log: "Conversation",
      offline: "No connection to support; retrying…",
      surveyQuestion: "How did we do with this ticket?", surveyThanks: "Thank you for your answer!",
      surveyComment: "Anything you want to add? (optional)", surveySend: "Send comment",
      surveySaved: "We saved your comment.", surveyChange: "You can change your answer.",
      faqs: "Frequently asked questions", suggested: "These articles may answer your question:"
    }
  }[LANG];
  var KEY = "soporte-chat:" + BASE + ":" + (data.userEmail || "visitor");
  var token = null;
  var ticket = null;
  var lastId = 0;
  var seen = {};
  var polling = false;
  var unread = 0;
  var deflection = "";  // the suggestion session's token (soporte.kb.deflection)
  var suggestTimer = null;
  try { token = localStorage.getItem(KEY); } catch (e) { token = null; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var css = el("link", { rel: "stylesheet", href: BASE + "/static/chat/widget.css" });
  document.head.appendChild(css);
  var root = el("div", { "class": "sc-root", "data-soporte-chat": "" });
  var launcher = el("button", {
    type: "button", "class": "sc-launcher", "aria-expanded": "false", "aria-controls": "sc-panel"
  });
  var launcherText = el("span", {}, T.launcher);
  var badge = el("span", { "class": "sc-badge", hidden: "" });
  launcher.appendChild(launcherText);
  launcher.appendChild(badge);
  var panel = el("section", {
    id: "sc-panel", "class": "sc-panel", role: "dialog", "aria-labelledby": "sc-title", hidden: ""
  });
  var head = el("header", { "class": "sc-head" });
  head.appendChild(el("h2", { id: "sc-title" }, T.title));
  var closeButton = el("button", { type: "button", "class": "sc-close", "aria-label": T.close }, "×");
  head.appendChild(closeButton);
  var hours = el("p", { "class": "sc-hours", "data-hours": "" });
  var log = el("div", { "class": "sc-log", role: "log", "aria-live": "polite", "aria-label": T.log });
  var notice = el("p", { "class": "sc-notice", role: "status" });
  var surveyBox = el("section", { "class": "sc-survey", "aria-labelledby": "sc-survey-q", hidden: "" });
  var surveyShown = "";
  // Before the first message: the pinned FAQs, then the articles matching what is typed.
  var faqBox = el("section", { "class": "sc-kb sc-faqs", "aria-labelledby": "sc-faqs-title", hidden: "" });
  var suggestBox = el("section", { "class": "sc-kb sc-suggested", "aria-live": "polite", hidden: "" });

  var emailForm = el("form", { "class": "sc-email", hidden: "" });
  emailForm.appendChild(el("label", { "for": "sc-email" }, T.emailLabel));
  var emailInput = el("input", {
    id: "sc-email", type: "email", required: "", autocomplete: "email", "aria-describedby": "sc-email-help"
  });
  emailForm.appendChild(emailInput);
  emailForm.appendChild(el("p", { id: "sc-email-help", "class": "sc-help" }, T.emailHelp));
  emailForm.appendChild(el("button", { type: "submit" }, T.start));

  var form = el("form", { "class": "sc-form", hidden: "" });
  form.appendChild(el("label", { "for": "sc-text", "class": "sc-hidden" }, T.messageLabel));
  var text = el("textarea", { id: "sc-text", rows: "2", maxlength: "20000" });
  form.appendChild(text);
  var fileLabel = el("label", { "for": "sc-file", "class": "sc-attach" }, T.attach);
  var file = el("input", { id: "sc-file", type: "file", accept: "image/png,image/jpeg,image/gif,image/webp" });
  form.appendChild(fileLabel);
  form.appendChild(file);
  var sendButton = el("button", { type: "submit", "class": "sc-send" }, T.send);
  form.appendChild(sendButton);
  var endButton = el("button", { type: "button", "class": "sc-end", hidden: "" }, T.end);
  var againButton = el("button", { type: "button", "class": "sc-again", hidden: "" }, T.again);

  [head, hours, faqBox, log, surveyBox, notice, suggestBox, emailForm, form, endButton, againButton].forEach(function (n) {
    panel.appendChild(n);
  });
  root.appendChild(panel);
  root.appendChild(launcher);
  document.body.appendChild(root);

  function api(method, path, body, isForm) {
    var headers = {};
    if (token) { headers["X-Chat-Token"] = token; }
    var init = { method: method, headers: headers, credentials: "omit", mode: "cors" };
    if (body && !isForm) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    if (body && isForm) { init.body = body; }
    return fetch(BASE + "/chat/api/" + path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) { var error = new Error(json.error || response.statusText); error.status = response.status; throw error; }
        return json;
      });
    });
  }

  function articles(box, heading, items, headingId) {
    box.textContent = "";
    if (!items.length || ticket) { box.hidden = true; return; }
    box.appendChild(el("p", headingId ? { id: headingId, "class": "sc-kb-title" } : { "class": "sc-kb-title" }, heading));
    var list = el("ul", {});
    items.forEach(function (item) {
      var entry = el("li", {});
      entry.appendChild(el("a", { href: item.url, target: "_blank", rel: "noopener" }, item.title));
      list.appendChild(entry);
    });
    box.appendChild(list);
    box.hidden = false;
  }

  function faqs() {
    api("GET", "faqs?lang=" + LANG).then(function (json) {
      articles(faqBox, T.faqs, json.faqs || [], "sc-faqs-title");
    }, function () { /* no pinned list: the empty state stays empty */ });
  }

  function suggest() {
    var q = text.value.trim();
    if (ticket || !token) { return; }
    if (!q) { articles(suggestBox, T.suggested, []); return; }
    api("GET", "suggestions?q=" + encodeURIComponent(q.slice(0, 200)) +
        "&deflection=" + encodeURIComponent(deflection)).then(function (json) {
      if (json.deflection) { deflection = json.deflection; }
      articles(suggestBox, T.suggested, json.suggestions || []);
    }, function () { /* suggestions are a help, never in the way */ });
  }

  function opened() {  // the chat has its ticket: the suggestions have done their part
    faqBox.hidden = true;
    suggestBox.hidden = true;
  }

  function time(iso) {
    try {
      return new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
    } catch (e) { return ""; }
  }

  function show(message) {
    if (seen[message.id]) { return; }
    seen[message.id] = true;
    lastId = Math.max(lastId, message.id);
    var item = el("div", { "class": "sc-msg sc-" + message.author, "data-message-id": String(message.id) });
    var who = el("p", { "class": "sc-who" });
    who.appendChild(el("strong", {}, message.author === "customer" ? T.you : message.name));
    who.appendChild(document.createTextNode(" · " + time(message.at)));
    item.appendChild(who);
    item.appendChild(el("p", { "class": "sc-text" }, message.text));
    (message.files || []).forEach(function (name) { item.appendChild(el("p", { "class": "sc-file" }, "📎 " + name)); });
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (panel.hidden && message.author !== "customer") {
      unread += 1;
      badge.textContent = unread + " " + T.newMessages;
      badge.hidden = false;
    }
  }

  // The solved ticket's CSAT survey: three buttons, then the comment box (READING.md §7).
  function survey(data, saved) {
    var key = JSON.stringify(data || null);
    if (key === surveyShown && !saved) { return; }
    surveyShown = key;
    surveyBox.textContent = "";
    if (!data || (!data.open && !data.answer)) { surveyBox.hidden = true; return; }
    surveyBox.hidden = false;
    var question = el("p", { id: "sc-survey-q", "class": "sc-survey-q" },
      data.answer ? T.surveyThanks : T.surveyQuestion);
    surveyBox.appendChild(question);
    if (!data.open) { surveyBox.appendChild(el("p", {}, data.label)); return; }
    var group = el("div", { role: "group", "aria-labelledby": "sc-survey-q", "class": "sc-faces" });
    data.choices.forEach(function (choice) {
      var chosen = choice.answer === data.answer;
      var button = el("button", {
        type: "button", "class": "sc-face", "data-answer": choice.answer,
        "aria-pressed": chosen ? "true" : "false"
      }, choice.label);
      button.addEventListener("click", function () { answer({ answer: choice.answer }, choice.answer); });
      group.appendChild(button);
    });
    surveyBox.appendChild(group);
    if (!data.answer) { return; }
    surveyBox.appendChild(el("p", { "class": "sc-help" }, saved ? T.surveySaved : T.surveyChange));
    var comment = el("form", { "class": "sc-comment" });
    comment.appendChild(el("label", { "for": "sc-survey-comment" }, T.surveyComment));
    var box = el("textarea", { id: "sc-survey-comment", rows: "2", maxlength: "4000" });
    box.value = data.comment || "";
    comment.appendChild(box);
    comment.appendChild(el("button", { type: "submit" }, T.surveySend));
    comment.addEventListener("submit", function (event) {
      event.preventDefault();
      answer({ answer: data.answer, comment: box.value }, null);
    });
    surveyBox.appendChild(comment);
  }

  function answer(fields, focus) {
    api("POST", "survey", fields).then(function (json) {
      survey(json.survey, fields.comment !== undefined);
      var target = focus ? surveyBox.querySelector("[data-answer='" + focus + "']") : null;
      if (target) { target.focus(); }
    }, function (error) { notice.textContent = error.message; });
  }

  function state(json) {
    ticket = json.ticket;
    if (ticket) { opened(); }
    hours.textContent = json.hours || "";
    (json.messages || []).forEach(show);
    survey(json.survey);
    if (json.ended) { finished(); return; }
    emailForm.hidden = true;
    form.hidden = false;
    endButton.hidden = false;
    poll();
  }

  function forget() {
    token = null;
    try { localStorage.removeItem(KEY); } catch (e) { /* private mode */ }
  }

  function finished() {
    forget();
    survey(null);
    form.hidden = true;
    endButton.hidden = true;
    againButton.hidden = false;
    notice.textContent = T.ended;
  }

  function poll() {
    if (polling || !token || !ticket) { return; }
    polling = true;
    api("GET", "messages?after=" + lastId).then(function (json) {
      polling = false;
      notice.textContent = "";
      json.messages.forEach(show);
      survey(json.survey);
      if (json.ended) { finished(); } else { poll(); }
    }, function (error) {
      polling = false;
      if (error.status === 401) { forget(); return; }
      notice.textContent = T.offline;
      setTimeout(poll, 3000);
    });
  }

  function begin(email) {
    var fields = {
      email: email, organisation: data.organisation || "", signature: data.signature || "",
      name: data.userName || "", lang: LANG, url: location.href, browser: navigator.userAgent,
      zone: (Intl.DateTimeFormat().resolvedOptions() || {}).timeZone || ""
    };
    return api("POST", "start", fields).then(function (json) {
      token = json.token;
      try { localStorage.setItem(KEY, token); } catch (e) { /* private mode: this page only */ }
      state(json);
      text.focus();
    }, function (error) { notice.textContent = error.message; });
  }

  function load() {
    faqs();
    if (token) {
      return api("GET", "conversation").then(state, function (error) {
        if (error.status === 401) { forget(); return load(); }
        notice.textContent = T.offline;
      });
    }
    api("GET", "hours?lang=" + LANG + "&zone=" + encodeURIComponent(
      (Intl.DateTimeFormat().resolvedOptions() || {}).timeZone || "")).then(function (json) {
      hours.textContent = json.hours;
    }, function () { /* the status line stays empty */ });
    if (data.userEmail && data.signature) { return begin(data.userEmail); }
    emailForm.hidden = false;
    emailInput.focus();
    return null;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function send(payload, isForm, attempt) {
    return api("POST", "messages", payload, isForm).then(function (json) {
      notice.textContent = "";
      ticket = json.ticket;
      if (ticket) { opened(); }
      show(json.message);
      poll();
    }, function (error) {
      if (error.status || attempt >= 4) { notice.textContent = error.message; return; }
      notice.textContent = T.failed;  // the same client id: a retry never duplicates
      return new Promise(function (resolve) { setTimeout(resolve, 1000 * attempt); }).then(function () {
        return send(payload, isForm, attempt + 1);
      });
    });
  }

  var loaded = false;
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    unread = 0;
    badge.hidden = true;
    if (!loaded) { loaded = true; load(); } else if (!form.hidden) { text.focus(); }
    else if (!emailForm.hidden) { emailInput.focus(); }
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); close(); }
  });
  emailForm.addEventListener("submit", function (event) {
    event.preventDefault();
    begin(emailInput.value.trim());
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  text.addEventListener("input", function () {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(suggest, 300);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = text.value.trim();
    var chosen = file.files && file.files[0];
    if (!body && !chosen) { return; }
    var id = newId();
    var payload = { client_id: id, body: body, deflection: ticket ? "" : deflection };
    var isForm = false;
    if (chosen) {
      payload = new FormData();
      payload.append("client_id", id);
      payload.append("body", body);
      payload.append("deflection", ticket ? "" : deflection);
      payload.append("files", chosen);
      isForm = true;
    }
    text.value = "";
    file.value = "";
    send(payload, isForm, 1);
  });
  endButton.addEventListener("click", function () {
    api("POST", "end").then(finished, function (error) { notice.textContent = error.message; });
  });
  againButton.addEventListener("click", function () {
    againButton.hidden = true;
    notice.textContent = "";
    log.textContent = "";
    seen = {};
    lastId = 0;
    ticket = null;
    deflection = "";
    load();
  });

  if (token) { loaded = true; load(); }  // a reload resumes the chat (and its live replies)
})();
