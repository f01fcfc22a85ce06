// The check-in desk: ready for the next ticket after each check-in, and, where the browser
// can read QR codes (BarcodeDetector), a camera scanner that submits each code it sees.
// Offline, a check-in is queued in this browser (localStorage) with the time it was typed, the
// desk says "Offline — N check-ins queued", and the queue is sent as soon as the network is back.
// Without this file the desk still works by typing and plain form posts.
(function () {
  "use strict";

  const form = document.querySelector("[data-checkin-form]");
  if (!form) return;
  const input = form.querySelector("input[name=ticket_code]");
  let stream = null; // the camera, while scanning

  // --- Offline queue ---------------------------------------------------------------------
  const status = document.querySelector("[data-offline-status]");
  const sentList = document.querySelector("[data-queue-results]");
  const QUEUE_KEY = "plenary-checkin-queue:" + form.dataset.queueKey;
  const RETRY_MS = 5000;
  let sending = false;
  let unreachable = false; // the last request failed for want of a network
  let typed = null; // the code of the request in flight, to queue if it fails

  function readQueue() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE_KEY)) || [];
    } catch (error) {
      return [];
    }
  }

  function writeQueue(queue) {
    try {
      localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    } catch (error) {
      // Storage full or refused: the status below still tells staff it is offline.
    }
  }

  function offline() {
    return !navigator.onLine || unreachable;
  }

  function showStatus() {
    const count = readQueue().length;
    const template = count === 1 ? status.dataset.one : status.dataset.many;
    if (offline()) {
      status.textContent = count ? template.replace("%(count)s", count) : status.dataset.offline;
    } else {
      status.textContent = count ? status.dataset.sending.replace("%(count)s", count) : "";
    }
    status.hidden = !status.textContent;
    document.body.classList.toggle("checkin--offline", offline());
  }

  function enqueue(code, at) {
    const queue = readQueue();
    queue.push({ code: code, at: at });
    writeQueue(queue);
    showStatus();
  }

  function report(html) {
    // Keep what the server answered for a queued check-in: the result and the new count.
    const answer = new DOMParser().parseFromString(html, "text/html");
    const result = answer.querySelector(".checkin-result");
    const count = answer.getElementById("checkin-count");
    if (result && sentList) {
      const item = document.createElement("li");
      item.appendChild(document.importNode(result, true));
      sentList.prepend(item);
      sentList.hidden = false;
      sentList.previousElementSibling.hidden = false;
    }
    const current = document.getElementById("checkin-count");
    if (count && current) current.replaceWith(document.importNode(count, true));
  }

  function flush() {
    if (sending || !navigator.onLine) return;
    const queue = readQueue();
    if (!queue.length) {
      unreachable = false;
      showStatus();
      return;
    }
    sending = true;
    const item = queue[0];
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("ticket_code", item.code);
    body.append("scanned_at", String(item.at));
    fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        writeQueue(readQueue().filter(function (queued) {
          return !(queued.code === item.code && queued.at === item.at);
        }));
        unreachable = false;
        report(html);
        sending = false;
        flush();
      })
      .catch(function () {
        unreachable = true;
        sending = false;
        showStatus();
      });
  }

  // Offline, a submitted code goes to the queue instead of the network.
  document.addEventListener("submit", function (event) {
    if (event.target !== form) return;
    const code = input.value.trim();
    if (!code) return;
    if (!navigator.onLine) {
      event.preventDefault();
      event.stopImmediatePropagation();
      enqueue(code, Date.now());
      form.reset();
      input.focus();
      return;
    }
    typed = { code: code, at: Date.now() };
  }, true);

  // Online but the request never got an answer: queue it too.
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt !== form || !typed) return;
    unreachable = true;
    enqueue(typed.code, typed.at);
    typed = null;
    form.reset();
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", showStatus);
  setInterval(flush, RETRY_MS);
  showStatus();
  flush();

  // After an in-place check-in, clear the code and put the cursor back for the next person.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) {
      typed = null;
      if (unreachable) {
        unreachable = false;
        flush();
      }
      form.reset();
      if (!stream) input.focus(); // while scanning, a focused input would pop up the keyboard
    }
  });

  const start = form.querySelector("[data-scan-start]");
  const view = form.querySelector("[data-scan-view]");
  const stop = form.querySelector("[data-scan-stop]");
  const video = view.querySelector("video");
  const REPEAT_MS = 4000; // the same code held in front of the camera is sent once

  const canScan = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canScan) return;

  let detector, timer;
  let last = { code: "", at: 0 };

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (!formats.includes("qr_code")) return;
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    start.hidden = false;
  });

  function scan() {
    detector.detect(video).then(function (codes) {
      const now = Date.now();
      const code = codes.length ? codes[0].rawValue.trim() : "";
      if (code && !(code === last.code && now - last.at < REPEAT_MS)) {
        last = { code: code, at: now };
        input.value = code;
        form.requestSubmit();
      }
    }).catch(function () {}).finally(function () {
      if (stream) timer = setTimeout(scan, 250);
    });
  }

  function stopScanning() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    view.hidden = true;
    start.hidden = false;
  }

  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        start.hidden = true;
        view.hidden = false;
        return video.play();
      })
      .then(scan)
      .catch(function () {
        stopScanning();
        start.hidden = true; // no camera, or permission refused: typing still works
      });
  });
  stop.addEventListener("click", function () {
    stopScanning();
    input.focus();
  });
  window.addEventListener("pagehide", stopScanning);
})();
