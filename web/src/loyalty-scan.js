// <loyalty-scanner data-target="member-code" data-submit="amount"> — the staff scan page's camera.
// Reads the customer's QR with the phone camera: the browser's BarcodeDetector where it exists, jsQR otherwise.
// The decoded code fills the input named by data-target and focus moves to data-submit (the amount). Without a camera,
// or without permission, the typed-code field still works: the page is a plain form.
import jsQR from "jsqr";

class LoyaltyScanner extends HTMLElement {
  connectedCallback() {
    if (this.started) return;
    this.started = true;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = document.documentElement.lang === "en" ? "Open the camera" : "Ouvrir la caméra";
    button.addEventListener("click", () => this.start());
    this.append(button);
    this.status = document.createElement("p");
    this.status.setAttribute("role", "status");
    this.append(this.status);
  }

  say(fr, en) {
    this.status.textContent = document.documentElement.lang === "en" ? en : fr;
  }

  async start() {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.say("Pas de caméra disponible : saisissez le code.", "No camera available: type the code.");
      return;
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch {
      this.say("Caméra refusée ou absente : saisissez le code.", "Camera refused or missing: type the code.");
      return;
    }
    this.video = document.createElement("video");
    this.video.setAttribute("playsinline", "");
    this.video.setAttribute("aria-label", document.documentElement.lang === "en" ? "Camera preview" : "Aperçu de la caméra");
    this.video.muted = true;
    this.video.srcObject = this.stream;
    this.video.style.maxWidth = "100%";
    this.append(this.video);
    await this.video.play();
    this.detector = "BarcodeDetector" in window ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
    this.canvas = document.createElement("canvas");
    this.say("Visez le QR code du client.", "Point at the customer's QR code.");
    this.tick();
  }

  async tick() {
    if (!this.stream) return;
    let text = null;
    try {
      if (this.detector) {
        const codes = await this.detector.detect(this.video);
        text = codes[0]?.rawValue ?? null;
      } else if (this.video.videoWidth > 0) {
        this.canvas.width = this.video.videoWidth;
        this.canvas.height = this.video.videoHeight;
        const ctx = this.canvas.getContext("2d", { willReadFrequently: true });
        ctx.drawImage(this.video, 0, 0);
        const image = ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
        text = jsQR(image.data, image.width, image.height)?.data ?? null;
      }
    } catch {
      text = null;
    }
    if (text) {
      this.found(text);
      return;
    }
    setTimeout(() => this.tick(), 150);
  }

  found(text) {
    const target = document.getElementById(this.dataset.target);
    if (target) target.value = text;
    this.stop();
    this.say("Code lu.", "Code read.");
    document.getElementById(this.dataset.submit)?.focus();
  }

  stop() {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.video?.remove();
  }

  disconnectedCallback() {
    this.stop();
  }
}

if (!customElements.get("loyalty-scanner")) customElements.define("loyalty-scanner", LoyaltyScanner);
