"""Two-factor sign-in: an authenticator app (TOTP), one-time backup codes and passkeys.

django-otp keeps the authenticator app (`TOTPDevice`) and the backup codes (`StaticDevice`
with its `StaticToken`s); passkeys (WebAuthn, the `webauthn` package) are our `Passkey` rows.

- `devices`: what second factors an account has, and whether it must have one.
- `totp`, `passkeys`: checking a code or a passkey's signature; writing goes through `actions`.
- `signin`: the pending sign-in between the right password and the second factor.
- `middleware`: an account the site switch obliges to use a second factor sets one up first.
"""
