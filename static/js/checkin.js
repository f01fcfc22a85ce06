// The check-in desk: ready for the next ticket after each check-in, and, where the browser
// can read QR codes (BarcodeDetector), a camera scanner that submits each code it sees.
// Without this file the desk still works by typing and plain form posts.
(function () {
  "use strict";

  const form = document.querySelector("[data-checkin-form]");
  if (!form) return;
  const input = form.querySelector("input[name=ticket_code]");
  let stream = null; // the camera, while scanning

  // After an in-place check-in, clear the code and put the cursor back for the next person.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) {
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
