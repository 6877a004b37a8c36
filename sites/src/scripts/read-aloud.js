/*
 * 朗读全文 on document pages (issue 5): reads the article's title and body aloud with the Web Speech API
 * (speechSynthesis, zh-CN). No framework, no build step: the file is emitted as is under /_astro/ and loaded
 * with `defer` by document pages only. Without the API (or without JavaScript) the button stays hidden and the
 * page reads as before.
 */
(function () {
  'use strict';
  var button = document.querySelector('[data-read-aloud]');
  var synth = window.speechSynthesis;
  if (!button || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  var LABEL_ON = '朗读全文';
  var LABEL_OFF = '停止朗读';
  var reading = false;
  var run = 0;

  function text() {
    var parts = [];
    var title = document.querySelector('article h1');
    if (title) parts.push(title.textContent);
    var body = document.querySelector('.doc-body');
    if (body) parts.push(body.innerText || body.textContent);
    return parts.join('。\n').replace(/[ \t\u3000]+/g, ' ').trim();
  }

  /* Engines stop long utterances part-way (Chromium after about 15 s), so the text is read in sentences. */
  function chunks(s) {
    var out = [];
    var re = /[^。！？；!?;\n]+[。！？；!?;\n]*/g;
    var m;
    var cur = '';
    while ((m = re.exec(s)) !== null) {
      if (cur.length + m[0].length > 160 && cur) { out.push(cur); cur = ''; }
      cur += m[0];
    }
    if (cur.trim()) out.push(cur);
    return out;
  }

  function set(on) {
    reading = on;
    button.textContent = on ? LABEL_OFF : LABEL_ON;
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
  }

  function stop() {
    run++;
    synth.cancel();
    set(false);
  }

  function start() {
    var parts = chunks(text());
    if (!parts.length) return;
    synth.cancel();
    var mine = ++run;
    set(true);
    parts.forEach(function (part, i) {
      var u = new window.SpeechSynthesisUtterance(part);
      u.lang = 'zh-CN';
      u.rate = 0.9;
      if (i === parts.length - 1) u.onend = function () { if (mine === run) set(false); };
      u.onerror = function () { if (mine === run) set(false); };
      synth.speak(u);
    });
  }

  button.addEventListener('click', function () { if (reading) stop(); else start(); });
  window.addEventListener('pagehide', function () { if (reading) stop(); });
  button.hidden = false;
})();
