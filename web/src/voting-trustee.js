// A trustee's page (link with the secret after #): make the key in the browser (the private key is saved to a file
// and never sent), then, after the tally, decrypt the encrypted total with it and send only the partial decryption.
import { generateTrusteeKey, getGroup, partialDecryption } from "./voting/index.js";
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
  if (task.state === "setup" && !task.hasKey) return makeKey(task);
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

function decrypt(task) {
  const file = h("input", { type: "file", accept: ".txt" });
  const text = h("textarea", { rows: 3, cols: 60, spellcheck: "false", name: "private-key" });
  file.addEventListener("change", async () => {
    text.value = (await file.files[0].text()).trim();
  });
  const form = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      say(t("Déchiffrement partiel dans ce navigateur…", "Partial decryption in this browser…"));
      try {
        const pd = partialDecryption(task.electionJson, task.encryptedTallyJson, text.value.trim());
        await api("POST", `/${electionId}/trustee/decryption`, { token, body: pd });
        text.value = "";
        say("");
        show(h("h2", {}, t("Déchiffrement envoyé", "Decryption sent")), h("p", { id: "trustee-done" }, t("Votre déchiffrement partiel, avec sa preuve, est enregistré.", "Your partial decryption, with its proof, is recorded.")));
      } catch (e) {
        say(e.message, "error");
      }
    } },
    field(t("Fichier de clé privée", "Private key file"), file),
    field(t("ou la clé privée", "or the private key"), text),
    h("button", { type: "submit" }, t("Déchiffrer ma part", "Decrypt my share")));
  show(h("h2", {}, t("Dépouillement", "Count")), h("p", {}, t("Votre clé privée reste dans ce navigateur : seul le déchiffrement partiel et sa preuve sont envoyés.", "Your private key stays in this browser: only the partial decryption and its proof are sent.")), form);
}

start();
