// A trustee's page (link with the secret after #): make the key in the browser (the private key is saved to a file
// and never sent), then, after the tally, decrypt the encrypted total with it and send only the partial decryption.
import {
  generateTrusteeKey,
  getGroup,
  partialDecryption,
  thresholdCertificate,
  thresholdOutput,
  thresholdPartialDecryption,
  thresholdPolynomial,
} from "./voting/index.js";
import { api, download, electionId, field, h, say, show, t } from "./voting/ui.js";

const token = decodeURIComponent(location.hash.slice(1));

async function start() {
  let task;
  try {
    task = await api("GET", `/${electionId}/trustee`, { token });
  } catch (e) {
    say(e.status === 401 ? t("Ce lien d'assesseur n'est pas valide.", "This trustee link is not valid.") : e.message, "error");
    return;
  }
  say("");
  if (task.threshold) {
    if (task.state === "setup" && ["certificate", "polynomial", "output"].includes(task.threshold.phase)) return ceremony(task);
    if (task.state === "tallied" && !task.hasDecrypted) return decrypt(task);
    if (task.state === "setup" && task.threshold.phase === "waiting") {
      return show(h("h2", {}, t(`Assesseur : ${task.name}`, `Trustee: ${task.name}`)),
        h("p", { id: "trustee-done" }, t("Votre étape est enregistrée. Les autres assesseurs doivent faire la leur : revenez sur cette page ensuite.", "Your step is recorded. The other trustees must make theirs: come back to this page afterwards.")));
    }
  }
  if (task.state === "setup" && !task.hasKey && !task.threshold) return makeKey(task);
  if (task.state === "tallied" && !task.hasDecrypted) return decrypt(task);
  const done = task.hasDecrypted
    ? t("Votre déchiffrement partiel est enregistré. Merci.", "Your partial decryption is recorded. Thank you.")
    : task.hasKey
      ? t("Votre clé est enregistrée. Revenez sur cette page après la clôture pour le dépouillement.", "Your key is recorded. Come back to this page after closing for the count.")
      : t("Rien à faire pour l'instant.", "Nothing to do for now.");
  show(h("h2", {}, t(`Assesseur : ${task.name}`, `Trustee: ${task.name}`)), h("p", { id: "trustee-done" }, done));
}

function makeKey(task) {
  const button = h("button", { type: "button", onclick: async () => {
      button.disabled = true;
      const key = generateTrusteeKey(getGroup(task.group));
      // The private key goes to a file on this computer; the server gets only the public key and its proof.
      download(`trustee-${electionId}-${task.index}-private-key.txt`, key.privateKey + "\n");
      try {
        await api("POST", `/${electionId}/trustee/key`, { token, body: key.publicKeyJson });
        show(h("h2", {}, t("Clé créée", "Key created")),
          h("p", { id: "trustee-done" }, t("Votre clé privée a été enregistrée dans un fichier : gardez-le en lieu sûr, il sera demandé pour le dépouillement.", "Your private key was saved to a file: keep it safe, it will be asked for at the count.")),
          h("pre", { id: "private-key", class: "secret", "aria-label": t("Clé privée (copie)", "Private key (copy)") }, key.privateKey));
      } catch (e) {
        button.disabled = false;
        say(e.message, "error");
      }
    } }, t("Créer ma clé", "Create my key"));
  show(h("h2", {}, t(`Assesseur : ${task.name}`, `Trustee: ${task.name}`)),
    h("p", {}, t("Votre navigateur va créer votre part de la clé de l'élection. Sans un nombre suffisant de ces parts, personne — pas même le serveur — ne peut déchiffrer le résultat.", "Your browser will create your share of the election key. Without enough of these shares nobody — not even the server — can decrypt the result.")),
    button);
}

/** A secret kept by the trustee (private key or seed), typed or read from the file saved when it was made. */
function secretFields(input, fileLabel, textLabel) {
  const file = h("input", { type: "file", accept: ".txt" });
  file.addEventListener("change", async () => {
    input.value = (await file.files[0].text()).trim();
  });
  return [field(fileLabel, file), field(textLabel, input)];
}

/** The threshold key ceremony: certificate, then polynomial, then output — each in this browser, from the seed. */
function ceremony(task) {
  const th = task.threshold;
  const title = h("h2", {}, t(`Assesseur ${th.position} sur ${th.size} — clé à seuil (${th.threshold} nécessaires)`, `Trustee ${th.position} of ${th.size} — threshold key (${th.threshold} needed)`));
  if (th.phase === "certificate") {
    const button = h("button", { type: "button", onclick: async () => {
        button.disabled = true;
        try {
          const made = thresholdCertificate(task.group, th.size, th.threshold, th.position);
          // The seed goes to a file on this computer; the server gets only the signed certificate.
          download(`trustee-${electionId}-${th.position}-seed.txt`, made.seed + "\n");
          await api("POST", `/${electionId}/trustee/certificate`, { token, body: made.certJson });
          show(title, h("p", { id: "trustee-done" }, t("Votre graine secrète a été enregistrée dans un fichier : gardez-la en lieu sûr, elle sera demandée aux étapes suivantes et au dépouillement.", "Your secret seed was saved to a file: keep it safe, it will be asked for at the next steps and at the count.")),
            h("pre", { id: "seed", class: "secret", "aria-label": t("Graine secrète (copie)", "Secret seed (copy)") }, made.seed));
        } catch (e) {
          button.disabled = false;
          say(e.message, "error");
        }
      } }, t("Créer mon certificat", "Create my certificate"));
    return show(title, h("p", {}, t("Étape 1 sur 3 : votre navigateur crée une graine secrète et le certificat de vos clés.", "Step 1 of 3: your browser creates a secret seed and the certificate of your keys.")), button);
  }
  const seed = h("input", { name: "seed", autocomplete: "off", spellcheck: "false", size: 30 });
  const step = th.phase;
  const form = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      say(t("Calcul dans ce navigateur…", "Computing in this browser…"));
      try {
        const json = step === "polynomial"
          ? thresholdPolynomial(task.group, th.certificatesJson, seed.value.trim())
          : thresholdOutput(task.group, th.certificatesJson, seed.value.trim(), th.inputJson);
        seed.value = "";
        await api("POST", `/${electionId}/trustee/${step}`, { token, body: json });
        start();
      } catch (e) {
        say(e.message, "error");
      }
    } }, ...secretFields(seed, t("Fichier de la graine secrète", "Secret seed file"), t("ou la graine secrète", "or the secret seed")), h("button", { type: "submit" }, step === "polynomial" ? t("Envoyer mes parts chiffrées", "Send my encrypted shares") : t("Vérifier mes parts et publier ma clé", "Check my shares and publish my key")));
  show(title, h("p", {}, step === "polynomial"
    ? t("Étape 2 sur 3 : votre navigateur tire un polynôme secret et chiffre une part pour chaque assesseur.", "Step 2 of 3: your browser draws a secret polynomial and encrypts a share for each trustee.")
    : t("Étape 3 sur 3 : votre navigateur vérifie les parts reçues et publie votre clé de vérification.", "Step 3 of 3: your browser checks the shares it received and publishes your verification key.")), form);
}

function decrypt(task) {
  const text = h("textarea", { rows: 3, cols: 60, spellcheck: "false", name: "private-key" });
  const form = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      say(t("Déchiffrement partiel dans ce navigateur…", "Partial decryption in this browser…"));
      try {
        const pd = task.threshold
          ? thresholdPartialDecryption(task.electionJson, task.encryptedTallyJson, text.value.trim(), task.threshold.encryptedKeyJson)
          : partialDecryption(task.electionJson, task.encryptedTallyJson, text.value.trim());
        await api("POST", `/${electionId}/trustee/decryption`, { token, body: pd });
        text.value = "";
        say("");
        show(h("h2", {}, t("Déchiffrement envoyé", "Decryption sent")), h("p", { id: "trustee-done" }, t("Votre déchiffrement partiel, avec sa preuve, est enregistré.", "Your partial decryption, with its proof, is recorded.")));
      } catch (e) {
        say(e.message, "error");
      }
    } },
    ...(task.threshold
      ? secretFields(text, t("Fichier de la graine secrète", "Secret seed file"), t("ou la graine secrète", "or the secret seed"))
      : secretFields(text, t("Fichier de clé privée", "Private key file"), t("ou la clé privée", "or the private key"))),
    h("button", { type: "submit" }, t("Déchiffrer ma part", "Decrypt my share")));
  show(h("h2", {}, t("Dépouillement", "Count")), h("p", {}, t("Votre clé privée reste dans ce navigateur : seul le déchiffrement partiel et sa preuve sont envoyés.", "Your private key stays in this browser: only the partial decryption and its proof are sent.")), form);
}

start();
