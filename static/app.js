/* Pocket guide: small progressive enhancements. Everything works without it. */
(function () {
  'use strict';
  var doc = document.documentElement;
  var lang = doc.getAttribute('data-lang');
  var page = doc.getAttribute('data-page');
  var root = new URL(doc.getAttribute('data-root') || './', location.href).href;
  var sw = doc.getAttribute('data-sw');
  var KEY = 'pocket-guide-language';
  var META = 'pocket-guide-meta';
  var savesLanguage = page && ['chooser', 'poster', 'card'].indexOf(page) < 0;

  function $(selector) { return document.querySelector(selector); }
  function remember(value) { try { localStorage.setItem(KEY, value); } catch (e) { /* private mode */ } }
  function remembered() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }

  // An explicit choice (chooser or language menu) is remembered on this phone only.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-choose]');
    if (link) remember(link.getAttribute('data-choose'));
  });

  // The chooser sends a first visit to the best language; not when the
  // reader came back to it from inside the guide to choose another.
  function bestMatch(wanted, available) {
    for (var i = 0; i < wanted.length; i++) {
      var want = wanted[i].toLowerCase();
      if (want === 'zh' || /^zh-(cn|sg|hans)/.test(want)) want = 'zh-hans';
      if (/^zh-(tw|hk|mo|hant)/.test(want)) want = 'zh-hant';
      if (available[want]) return available[want];
      var base = want.split('-')[0];
      for (var slug in available) if (slug.split('-')[0] === base) return available[slug];
    }
    return null;
  }
  if (page === 'chooser') {
    var links = {};
    [].forEach.call(document.querySelectorAll('a[data-choose]'), function (a) {
      links[a.getAttribute('data-choose')] = a.href;
    });
    var fromGuide = document.referrer && document.referrer.indexOf(root) === 0;
    if (!fromGuide) {
      var target = links[remembered()] || bestMatch(navigator.languages || [navigator.language || ''], links);
      if (target) location.replace(target);
    }
  }

  // Offline use: register the service worker and save this language.
  if (sw && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register(sw).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (!savesLanguage || !registration.active) return;
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data && event.data.ok) doc.setAttribute('data-saved', lang);
      };
      registration.active.postMessage({ save: lang }, [channel.port2]);
    }).catch(function () { /* offline use is an extra */ });
  }

  // While offline, say so, with the date this copy was saved.
  var note = $('#offline-note');
  function showOffline() {
    if (!note || !window.caches) return;
    caches.open(META).then(function (cache) {
      return cache.match(new URL('__saved.json', root).href);
    }).then(function (response) {
      return response ? response.json() : {};
    }).then(function (saved) {
      var when = saved[lang] ? new Date(saved[lang]) : null;
      var slot = note.querySelector('.saved-date');
      if (slot && when) slot.textContent = when.toLocaleDateString(doc.lang, { year: 'numeric', month: 'long', day: 'numeric' });
      if (when) note.hidden = false;
    }).catch(function () {});
  }
  function checkOnline() {
    if (!note) return;
    fetch(location.href, { method: 'HEAD', cache: 'no-store' }).then(function () {
      note.hidden = true;
    }, showOffline);
  }
  if (sw && navigator.serviceWorker && navigator.serviceWorker.controller) checkOnline();
  window.addEventListener('offline', showOffline);
  window.addEventListener('online', function () { if (note) note.hidden = true; });

  // "Add to home screen": Android's own prompt where offered, steps for iOS.
  var installButton = $('#install-button');
  if (installButton) {
    var standalone = (window.matchMedia && matchMedia('(display-mode: standalone)').matches) || navigator.standalone;
    var ios = /iphone|ipad|ipod/i.test(navigator.userAgent) ||
      (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
    var deferred = null;
    if (ios && !standalone) {
      $('.install-ios').hidden = false;
      $('.install-any').hidden = true;
    }
    window.addEventListener('beforeinstallprompt', function (event) {
      event.preventDefault();
      deferred = event;
      $('.install-android').hidden = false;
      $('.install-any').hidden = true;
    });
    installButton.addEventListener('click', function () {
      if (!deferred) return;
      deferred.prompt();
      deferred.userChoice.then(function () { $('.install-android').hidden = true; deferred = null; });
    });
  }

  // "Save every language for offline use".
  var saveAll = $('#save-all');
  if (saveAll && sw && 'serviceWorker' in navigator) {
    var status = $('#save-status');
    $('.save-all').hidden = false;
    saveAll.addEventListener('click', function () {
      status.textContent = status.getAttribute('data-busy');
      navigator.serviceWorker.ready.then(function (registration) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          status.textContent = status.getAttribute(event.data && event.data.ok ? 'data-done' : 'data-failed');
        };
        registration.active.postMessage({ save: '*' }, [channel.port2]);
      });
    });
  }
}());
