// Passkeys (WebAuthn) for two-factor sign-in. A form with class "passkey-create" (adding a
// passkey in preferences) or "passkey-get" (the log-in's second step) asks its data-options
// address for the options, lets the browser make or use the passkey, puts the answer in the
// form's hidden "credential" field as JSON and sends the form. The messages shown come from the
// form's data-unsupported and data-failed attributes (translated by the page).
(() => {
  const toBytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    let binary = "";
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const descriptors = (list) => (list || []).map((item) => ({ ...item, id: toBytes(item.id) }));

  const creationOptions = (options) => ({
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: descriptors(options.excludeCredentials),
  });
  const requestOptions = (options) => ({
    ...options,
    challenge: toBytes(options.challenge),
    allowCredentials: descriptors(options.allowCredentials),
  });

  const created = (credential) => ({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toText(credential.response.clientDataJSON),
      attestationObject: toText(credential.response.attestationObject),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    },
  });
  const asserted = (credential) => ({
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: {
      clientDataJSON: toText(credential.response.clientDataJSON),
      authenticatorData: toText(credential.response.authenticatorData),
      signature: toText(credential.response.signature),
      userHandle: credential.response.userHandle ? toText(credential.response.userHandle) : null,
    },
  });

  const show = (form, message) => {
    const place = form.querySelector(".passkey-error");
    if (!place) return;
    place.textContent = message;
    place.hidden = false;
  };

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.passkey-create, form.passkey-get");
    if (!form || form.dataset.ready === "yes") return;
    event.preventDefault();
    if (!window.PublicKeyCredential || !navigator.credentials) {
      show(form, form.dataset.unsupported || "");
      return;
    }
    const creating = form.classList.contains("passkey-create");
    if (creating && !form.reportValidity()) return;
    try {
      const answer = await fetch(form.dataset.options, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      });
      if (!answer.ok) throw new Error(await answer.text());
      const options = await answer.json();
      const credential = creating
        ? await navigator.credentials.create({ publicKey: creationOptions(options) })
        : await navigator.credentials.get({ publicKey: requestOptions(options) });
      form.querySelector("[name=credential]").value = JSON.stringify(
        creating ? created(credential) : asserted(credential),
      );
      form.dataset.ready = "yes";
      form.submit();
    } catch (error) {
      show(form, form.dataset.failed || String(error));
    }
  });
})();
