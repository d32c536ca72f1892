#!/bin/sh
# Create the secrets docker-compose.yml mounts (docs/deploy.md, "Install"), in
# SECRETS_DIR (default ./secrets): the Django secret key, the database password, an
# empty SMTP password (write yours into it), an empty file for earlier signing
# certificates (filled at a key rotation) and, for a first install or a demo, a
# self-signed document-signing key and certificate. Existing files are kept, so it
# is safe to run again. Production should replace signing_key.pem / signing_cert.pem
# with the organisation's own (issued by a CA its readers trust).
#
# Files are world-readable (0444) inside a folder only its owner can open (0700): the
# containers (uid 10001 for the app, 999 for PostgreSQL) read them through Docker's
# bind mounts; other users of the host cannot reach them.
set -eu
dir=${SECRETS_DIR:-./secrets}
organisation=${ORGANISATION_NAME:-Innovo Group Inc.}
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

random() { openssl rand -base64 48 | tr -d '\n/+=' | cut -c1-"$1"; }

if [ ! -s "$dir/secret_key" ]; then random 64 > "$dir/secret_key"; echo "created $dir/secret_key"; fi
if [ ! -s "$dir/db_password" ]; then random 32 > "$dir/db_password"; echo "created $dir/db_password"; fi
if [ ! -e "$dir/email_password" ]; then : > "$dir/email_password"; echo "created $dir/email_password (empty: write the SMTP password into it)"; fi
if [ ! -s "$dir/signing_key.pem" ] || [ ! -s "$dir/signing_cert.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -sha256 \
    -keyout "$dir/signing_key.pem" -out "$dir/signing_cert.pem" \
    -subj "/CN=$organisation Document Signing/O=$organisation" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature,nonRepudiation" \
    -addext "extendedKeyUsage=1.3.6.1.5.5.7.3.36,emailProtection" 2>/dev/null
  echo "created $dir/signing_key.pem and signing_cert.pem (self-signed, 10 years)"
fi
if [ ! -e "$dir/previous_signing_certs.pem" ]; then : > "$dir/previous_signing_certs.pem"; fi
chmod 0444 "$dir"/previous_signing_certs.pem "$dir"/secret_key "$dir"/db_password "$dir"/email_password "$dir"/signing_key.pem "$dir"/signing_cert.pem
