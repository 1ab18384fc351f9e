// The bureau électoral's pages: create an election, then run it (roll, trustees, setup, credentials, times, opening,
// émargement, integrity, closing, tally, archive). The bureau's token stays in this tab (sessionStorage).
import { api, download, electionId, field, h, say, show, t } from "./voting/ui.js";

const tokenKey = (id) => `socle-bureau-${id}`;

function newElection() {
  const name = h("input", { name: "name", required: true, maxlength: 200 });
  const description = h("textarea", { name: "description", rows: 2, cols: 60 });
  const notice = h("textarea", { name: "notice", rows: 3, cols: 60 });
  const group = h("select", { name: "group" }, h("option", { value: "Ed25519" }, "Ed25519"), h("option", { value: "BELENIOS-2048" }, "BELENIOS-2048"));
  const auth = h("select", { name: "auth" }, h("option", { value: "code" }, t("code à usage unique par e-mail", "one-time code by e-mail")), h("option", { value: "password" }, t("mot de passe", "password")));
  const questions = h("textarea", { name: "questions", rows: 8, cols: 60, required: true });
  const blank = h("input", { type: "checkbox", name: "blank", checked: true });
  const revote = h("input", { type: "checkbox", name: "revote", checked: true });
  const threshold = h("input", { type: "number", name: "threshold", min: 1, max: 100, inputmode: "numeric" });
  const form = h("form", { onsubmit: async (ev) => {
      ev.preventDefault();
      const qs = questions.value.trim().split(/\n\s*\n/).map((block) => {
        const lines = block.split("\n").map((l) => l.trim()).filter(Boolean);
        return { text: lines[0], answers: lines.slice(1), blank: blank.checked, nullVote: false, min: 1, max: 1 };
      });
      try {
        const created = await api("POST", "", { body: { name: name.value, description: description.value, notice: notice.value || null, group: group.value, questions: qs, revote: revote.checked, voterAuthentication: auth.value, threshold: threshold.value ? Number(threshold.value) : null } });
        sessionStorage.setItem(tokenKey(created.id), created.adminToken);
        show(h("h2", {}, t("Élection créée", "Election created")),
          h("p", {}, t("Jeton du bureau (affiché une seule fois, conservez-le) : ", "The bureau's token (shown once, keep it): "), h("code", { id: "admin-token" }, created.adminToken)),
          h("p", {}, h("a", { id: "bureau-link", href: `/voting/elections/${created.id}/bureau` }, t("Gérer l'élection", "Manage the election"))));
      } catch (e) {
        say(e.message, "error");
      }
    } },
    field(t("Nom", "Name"), name), field(t("Description", "Description"), description), field(t("Notice explicative pour les électeurs", "Explanatory notice for voters"), notice),
    field(t("Groupe cryptographique", "Cryptographic group"), group, t("BELENIOS-2048 se vérifie aussi avec belenios-tool de Debian.", "BELENIOS-2048 also verifies with Debian's belenios-tool.")),
    field(t("Connexion des électeurs", "Voter sign-in"), auth),
    field(t("Assesseurs nécessaires pour déchiffrer", "Trustees needed to decrypt"), threshold,
      t("Seuil t sur n (clé à seuil, en plus de la part du serveur) ; vide : tous les assesseurs sont nécessaires.", "Threshold t of n (threshold key, besides the server's share); empty: every trustee is needed.")),
    field(t("Questions", "Questions"), questions, t("Un bloc par question : la question sur la première ligne, puis une réponse par ligne dans l'ordre officiel ; une ligne vide entre deux questions.", "One block per question: the question on the first line, then one answer per line in the official order; an empty line between questions.")),
    h("p", {}, h("label", {}, blank, " ", t("Vote blanc possible", "Blank vote allowed")), " ", h("label", {}, revote, " ", t("Revote possible (le dernier compte)", "Revote allowed (the last counts)"))),
    h("button", { type: "submit" }, t("Créer", "Create")));
  show(h("h2", {}, t("Nouvelle élection", "New election")), form);
}

let token = "";

async function bureau() {
  token = sessionStorage.getItem(tokenKey(electionId)) ?? "";
  if (!token) return askToken();
  let view;
  try {
    view = await api("GET", `/${electionId}`);
    await api("GET", `/${electionId}/alerts`, { token });
  } catch (e) {
    if (e.status === 401) return askToken();
    return say(e.message, "error");
  }
  const act = (label, path, confirmText) => h("button", { type: "button", "data-action": path, onclick: async () => {
      if (confirmText && !confirm(confirmText)) return;
      try {
        await api("POST", `/${electionId}/${path}`, { token });
        say(t("Fait.", "Done."));
        bureau();
      } catch (e) {
        say(e.message, "error");
      }
    } }, label);
  const s = view.state;
  const parts = [h("h2", {}, view.definition.name), h("p", {}, t("État : ", "State: "), h("strong", { id: "bureau-state" }, s),
    ` — ${view.voters} ${t("inscrits", "registered")}, ${view.voted} ${t("votants", "voted")}, ${view.ballotsOnBoard} ${t("bulletins", "ballots")}`)];

  if (s === "draft" || s === "setup") {
    const csv = h("textarea", { rows: 5, cols: 60, name: "roll", placeholder: "id,email,name,weight" });
    parts.push(h("h3", {}, t("Liste électorale", "Electoral roll")), field(t("CSV (en-tête : id,email,name,weight)", "CSV (header: id,email,name,weight)"), csv),
      h("button", { type: "button", onclick: async () => {
          try {
            const r = await api("POST", `/${electionId}/voters`, { token, body: csv.value, type: "text/csv" });
            say(t(`${r.imported} électeurs importés.`, `${r.imported} voters imported.`));
            bureau();
          } catch (e) {
            say(e.message, "error");
          }
        } }, t("Importer", "Import")));
    const tname = h("input", { name: "trustee" });
    const links = h("ul", { id: "trustee-links" });
    const needed = view.definition.threshold;
    parts.push(h("h3", {}, t("Assesseurs (clé de déchiffrement)", "Trustees (decryption key)")),
      needed ? h("p", { id: "threshold" }, t(`Clé à seuil : ${needed} assesseurs nécessaires pour déchiffrer, en plus de la part du serveur.`, `Threshold key: ${needed} trustees needed to decrypt, besides the server's share.`)) : null,
      h("ul", {}, view.trustees.map((x) => h("li", {}, `${x.index}. ${x.name}${x.isServer ? t(" (part du serveur)", " (server's share)") : ""} — ${x.hasKey ? t("clé créée", "key made") : t("clé attendue", "key awaited")}`))),
      field(t("Nom de l'assesseur", "Trustee's name"), tname),
      h("button", { type: "button", onclick: async () => {
          try {
            const r = await api("POST", `/${electionId}/trustees`, { token, body: { name: tname.value } });
            links.append(h("li", {}, `${tname.value} : `, h("a", { href: r.link, class: "trustee-link" }, location.origin + r.link)));
            say(t("Transmettez ce lien personnel à l'assesseur (affiché une seule fois).", "Send this personal link to the trustee (shown once)."));
          } catch (e) {
            say(e.message, "error");
          }
        } }, t("Ajouter", "Add")), links);
  }
  if (s === "draft") parts.push(h("p", {}, act(t("Lancer la mise en place (fige les questions)", "Start the setup (freezes the questions)"), "setup")));
  if (s === "setup") {
    parts.push(h("h3", {}, t("Autorité de certification", "Credential authority")),
      h("button", { type: "button", "data-action": "credentials-file", onclick: async () => {
          try {
            const r = await api("POST", `/${electionId}/credentials`, { token, body: { channel: "file" } });
            download(`credentials-${electionId}.csv`, r.file, "text/csv");
            say(t(`${r.voters} codes de vote générés : le fichier est téléchargé ; le serveur ne les garde pas.`, `${r.voters} credentials generated: the file is downloaded; the server does not keep them.`));
            bureau();
          } catch (e) {
            say(e.message, "error");
          }
        } }, t("Générer (fichier pour envoi postal)", "Generate (file for postal delivery)")), " ",
      h("button", { type: "button", onclick: async () => {
          try {
            await api("POST", `/${electionId}/credentials`, { token, body: { channel: "email" } });
            say(t("Codes envoyés par e-mail.", "Credentials sent by e-mail."));
            bureau();
          } catch (e) {
            say(e.message, "error");
          }
        } }, t("Générer et envoyer par e-mail", "Generate and send by e-mail")),
      h("p", {}, act(t("Ouvrir le vote", "Open the vote"), "open")));
  }
  if (s === "open") parts.push(h("p", {}, act(t("Clore le vote", "Close the vote"), "close", t("Clore le vote ? Plus aucun bulletin ne sera accepté.", "Close the vote? No more ballots will be accepted."))));
  if (s === "closed") parts.push(h("p", {}, act(t("Dépouiller (total chiffré)", "Count (encrypted total)"), "tally")));
  if (s === "tallied") parts.push(h("p", {}, t("En attente des déchiffrements des assesseurs.", "Waiting for the trustees' decryptions.")));
  if (s === "published") parts.push(h("p", {}, act(t("Archiver sous scellé", "Archive under seal"), "archive")));
  if (s === "archived") parts.push(h("p", {}, act(t("Détruire les données (après le délai de recours)", "Destroy the data (after the appeal period)"), "destroy", t("Détruire définitivement ?", "Destroy for good?"))));

  parts.push(...(await compliance(view)));

  if (["open", "closed", "tallied", "published", "archived"].includes(s)) {
    const integrity = h("p", { id: "integrity" });
    parts.push(h("h3", {}, t("Intégrité", "Integrity")), integrity,
      h("button", { type: "button", onclick: async () => {
          try {
            const r = await api("GET", `/${electionId}/integrity`, { token });
            integrity.textContent = r.ok ? t(`Urne vérifiée : ${r.ballots} bulletins, cohérente avec l'émargement.`, `Board verified: ${r.ballots} ballots, consistent with the émargement list.`) : `${t("ALERTE", "ALERT")} : ${r.problem}`;
          } catch (e) {
            say(e.message, "error");
          }
        } }, t("Vérifier maintenant", "Verify now")));
    const alerts = await api("GET", `/${electionId}/alerts`, { token });
    if (alerts.length) parts.push(h("ul", { class: "error" }, alerts.map((a) => h("li", {}, `${a.at} — ${a.message}`))));
    const list = await api("GET", `/${electionId}/voters`, { token });
    parts.push(h("h3", {}, t("Liste d'émargement", "Émargement list")),
      h("table", {}, h("caption", {}, t("Qui a voté et quand — jamais comment", "Who voted and when — never how")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("Électeur", "Voter")), h("th", { scope: "col" }, t("A voté", "Voted")))),
        h("tbody", {}, list.map((v) => h("tr", {}, h("th", { scope: "row" }, `${v.voterId} ${v.name ?? ""}`), h("td", {}, v.paper ? t("sur papier", "on paper") : v.votedAt ?? "—"))))));
  }
  show(...parts);
}

const statusWords = {
  met: () => t("respecté", "met"),
  not_met: () => t("NON respecté", "NOT met"),
  organisational_measure: () => t("mesure de l'organisateur", "organiser's measure"),
};

/** The CNIL section: the risk level (changeable while a draft), and every requirement of that level with its status. */
async function compliance(view) {
  const report = await api("GET", `/${electionId}/compliance`, { token });
  const text = (x) => (x ? t(x.fr, x.en) : "");
  const out = [h("h3", {}, t("Conformité à la recommandation CNIL 2019", "Compliance with the CNIL 2019 recommendation"))];
  const summary = h("p", { id: "compliance-summary" }, t(`Niveau de risque ${report.level} : `, `Risk level ${report.level}: `),
    t(`${report.met} exigences respectées, ${report.notMet} non respectées, ${report.organisationalMeasures} à compléter par une mesure de l'organisateur. `,
      `${report.met} requirements met, ${report.notMet} not met, ${report.organisationalMeasures} needing a measure by the organiser. `),
    h("a", { href: "/voting/risk" }, t("Déterminer le niveau (questionnaire)", "Find the level (questionnaire)")));
  out.push(summary);
  if (view.state === "draft") {
    const level = h("select", { name: "risk-level" }, [1, 2, 3].map((n) => h("option", { value: n, selected: n === view.definition.riskLevel }, t(`Niveau ${n}`, `Level ${n}`))));
    out.push(field(t("Niveau de risque retenu", "Risk level chosen"), level), h("button", { type: "button", onclick: async () => {
        try {
          await api("PUT", `/${electionId}`, { token, body: { ...view.definition, riskLevel: Number(level.value) } });
          say(t("Niveau de risque enregistré.", "Risk level saved."));
          bureau();
        } catch (e) {
          say(e.message, "error");
        }
      } }, t("Enregistrer le niveau", "Save the level")));
  }
  out.push(h("table", { id: "compliance" },
    h("caption", {}, t("Chaque exigence applicable, son mécanisme et son statut pour cette élection", "Each requirement that applies, its mechanism and its status for this election")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("N°", "No.")), h("th", { scope: "col" }, t("Exigence", "Requirement")),
      h("th", { scope: "col" }, t("Statut", "Status")), h("th", { scope: "col" }, t("Pourquoi", "Why")))),
    h("tbody", {}, report.findings.map((f) => h("tr", { "data-status": f.status },
      h("th", { scope: "row" }, f.id), h("td", {}, text(f.objective.title)),
      h("td", {}, h("strong", {}, statusWords[f.status]())), h("td", {}, text(f.reason)))))));
  return out;
}

function askToken() {
  const input = h("input", { name: "token", autocomplete: "off", required: true });
  show(h("h2", {}, t("Jeton du bureau", "The bureau's token")),
    h("form", { onsubmit: (ev) => {
        ev.preventDefault();
        sessionStorage.setItem(tokenKey(electionId), input.value.trim());
        bureau();
      } }, field(t("Jeton reçu à la création", "Token given at creation"), input), h("button", { type: "submit" }, t("Continuer", "Continue"))));
}

if (electionId) bureau();
else newElection();
