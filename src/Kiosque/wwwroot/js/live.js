// Live page (« En direct »), progressive enhancement: the page is complete without this script.
// It follows the page's Server-Sent Events and puts new entries in place; when the reader has
// scrolled down, it holds them behind a « N nouvelles entrées » button instead of moving the page.
(function () {
  "use strict";
  var feed = document.querySelector("[data-live-events]");
  if (!feed || !window.EventSource) {
    return;
  }
  var held = [];
  var notice = null;

  function fromHtml(html) {
    var box = document.createElement("div");
    box.innerHTML = html;
    return box.firstElementChild;
  }

  function readerIsDown() {
    return feed.getBoundingClientRect().top < 0;
  }

  function showNotice() {
    if (!notice) {
      notice = document.createElement("button");
      notice.type = "button";
      notice.className = "live-new";
      notice.addEventListener("click", function () {
        release();
        feed.scrollIntoView({ behavior: "smooth" });
      });
      feed.parentNode.insertBefore(notice, feed);
    }
    notice.textContent = held.length === 1 ? feed.dataset.newOne : feed.dataset.newMany.replace("{0}", String(held.length));
    notice.hidden = false;
  }

  function release() {
    while (held.length) {
      insert(held.shift());
    }
    if (notice) {
      notice.hidden = true;
    }
  }

  function insert(entry) {
    var empty = feed.querySelector(".live-empty");
    if (empty) {
      empty.remove();
    }
    feed.insertBefore(entry, feed.firstElementChild);
  }

  function replace(data) {
    var entry = fromHtml(data.html);
    var old = feed.querySelector('[data-entry="' + data.id + '"]');
    if (old) {
      old.replaceWith(entry);
      return true;
    }
    return false;
  }

  var url = feed.dataset.liveEvents + "?lastEventId=" + encodeURIComponent(feed.dataset.lastEvent || "0");
  var source = new EventSource(url);

  source.addEventListener("entry", function (e) {
    var data = JSON.parse(e.data);
    if (replace(data) || held.some(function (h) { return h.dataset.entry === String(data.id); })) {
      return;
    }
    var entry = fromHtml(data.html);
    if (readerIsDown()) {
      held.push(entry);
      showNotice();
    } else {
      insert(entry);
    }
  });

  ["edit", "delete"].forEach(function (name) {
    source.addEventListener(name, function (e) {
      var data = JSON.parse(e.data);
      replace(data);
      var pinned = document.getElementById("epingle-" + data.id);
      if (pinned && name === "delete") {
        pinned.closest("[data-live-pinned]").hidden = true;
      }
    });
  });

  source.addEventListener("pin", function (e) {
    var data = JSON.parse(e.data);
    var box = document.querySelector("[data-live-pinned]");
    if (box) {
      var current = box.querySelector("[data-entry]");
      var entry = fromHtml(data.html);
      if (current) {
        current.replaceWith(entry);
      } else {
        box.appendChild(entry);
      }
      box.hidden = false;
    }
  });

  source.addEventListener("unpin", function (e) {
    var data = JSON.parse(e.data);
    var pinned = document.getElementById("epingle-" + data.id);
    if (pinned) {
      pinned.closest("[data-live-pinned]").hidden = true;
    }
  });

  source.addEventListener("end", function () {
    source.close();
    var badge = document.querySelector(".live-badge");
    if (badge) {
      badge.textContent = feed.dataset.ended;
      badge.classList.add("live-badge-ended");
    }
  });

  window.addEventListener("scroll", function () {
    if (held.length && !readerIsDown()) {
      release();
    }
  }, { passive: true });
})();
