// Scan a battery's QR code (ISO/IEC 18004) with the camera or from a photo, and open its passport.
// Markup: [data-scan-camera] button, [data-scan-file] file input, [data-scan-video] video, [data-scan-result] output.
import jsQR from "jsqr";

const result = document.querySelector("[data-scan-result]");
const video = document.querySelector("[data-scan-video]");

function decode(source, width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.fillStyle = "#fff";
  context.fillRect(0, 0, width, height);
  context.drawImage(source, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  return jsQR(pixels.data, width, height, { inversionAttempts: "attemptBoth" });
}

function found(text) {
  result.textContent = "";
  result.dataset.decoded = text;
  const label = document.createElement("span");
  label.textContent = (document.documentElement.lang === "en" ? "QR code: " : "QR code : ");
  result.append(label);
  let url = null;
  try { url = new URL(text); } catch { /* not an address */ }
  if (url && (url.protocol === "https:" || url.protocol === "http:")) {
    const link = document.createElement("a");
    link.href = url.href;
    link.textContent = url.href;
    link.rel = "noopener nofollow";
    result.append(link);
    if (url.origin === location.origin && url.pathname.startsWith("/batteries/p/")) {
      location.assign(url.pathname);
    }
  } else {
    result.append(document.createTextNode(text));
  }
}

function notFound() {
  result.textContent = document.documentElement.lang === "en"
    ? "No QR code found in this image." : "Aucun QR code trouvé dans cette image.";
  delete result.dataset.decoded;
}

const file = document.querySelector("[data-scan-file]");
file?.addEventListener("change", async () => {
  const chosen = file.files?.[0];
  if (!chosen) return;
  const bitmap = await createImageBitmap(chosen);
  const scale = Math.min(1, 1200 / Math.max(bitmap.width, bitmap.height));
  const code = decode(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  code ? found(code.data) : notFound();
});

const camera = document.querySelector("[data-scan-camera]");
camera?.addEventListener("click", async () => {
  if (!navigator.mediaDevices?.getUserMedia) {
    result.textContent = document.documentElement.lang === "en" ? "This browser cannot use a camera." : "Ce navigateur ne peut pas utiliser de caméra.";
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const tick = () => {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        const code = decode(video, video.videoWidth, video.videoHeight);
        if (code) {
          stream.getTracks().forEach((t) => t.stop());
          video.hidden = true;
          found(code.data);
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  } catch {
    result.textContent = document.documentElement.lang === "en" ? "The camera is not available." : "La caméra n'est pas disponible.";
  }
});
