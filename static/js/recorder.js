// Records a short clip with the camera (MediaRecorder) and sends it with the avatar form.
(function () {
  const form = document.querySelector("#avatar-form");
  const start = document.querySelector("#record-start");
  if (!form || !start || !navigator.mediaDevices || !window.MediaRecorder) return;
  const preview = document.querySelector("#record-preview"), status = document.querySelector("#record-status");
  const recorderBox = document.querySelector("#recorder");
  recorderBox.hidden = false;
  let recorded = null;

  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "user"}, audio: true});
      preview.srcObject = stream; preview.hidden = false; await preview.play();
      const type = ["video/webm;codecs=vp9,opus", "video/webm;codecs=vp8,opus", "video/webm", "video/mp4"].find(t => MediaRecorder.isTypeSupported(t));
      const recorder = new MediaRecorder(stream, type ? {mimeType: type} : {});
      const chunks = [];
      recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
      recorder.onstop = () => {
        stream.getTracks().forEach(t => t.stop());
        recorded = new Blob(chunks, {type: recorder.mimeType || "video/webm"});
        preview.srcObject = null; preview.src = URL.createObjectURL(recorded); preview.controls = true;
        status.textContent = status.dataset.done; start.disabled = false;
        form.dataset.recorded = "yes";
      };
      let left = 4;
      status.textContent = status.dataset.recording.replace("%s", left);
      const tick = setInterval(() => { left -= 1; status.textContent = status.dataset.recording.replace("%s", left); }, 1000);
      recorder.start(250);
      setTimeout(() => { clearInterval(tick); recorder.stop(); }, 4000);
    } catch (error) {
      status.textContent = status.dataset.denied; start.disabled = false;
    }
  });

  form.addEventListener("submit", async (event) => {
    if (!recorded) return;  // a chosen file goes the normal way
    event.preventDefault();
    const data = new FormData(form);
    const ext = recorded.type.includes("mp4") ? "mp4" : "webm";
    data.set("clip", recorded, "recording." + ext);
    const response = await fetch(form.action || location.href, {method: "POST", body: data, headers: {"Accept": "application/json"}, credentials: "same-origin"});
    const body = await response.json().catch(() => ({}));
    if (response.ok && body.url) { location.href = body.url; return; }
    const errors = Object.values(body.errors || {}).flat().join(" ");
    status.textContent = errors || status.dataset.failed;
  });
})();
