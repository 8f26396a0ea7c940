#!/usr/bin/python3
"""Independent verifier of the gateway's detached JWS (X-JWS-Signature), written with jwcrypto, not Nimbus.

Usage: verify_detached.py --cert CERT.pem --body BODY_FILE --jws JWS_FILE [--alg RS256,PS256,ES256]

It re-attaches the body as RFC 7515 appendix F says (BASE64URL(body) in the empty middle part), checks that the
protected header names the given certificate by its x5t#S256 thumbprint, and verifies the signature with that
certificate's public key only.

Exit codes: 0 valid, 1 invalid, 2 usage error, 3 jwcrypto missing.
"""
import argparse
import base64
import hashlib
import json
import sys

try:
    from jwcrypto import jwk, jws
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
except ImportError as e:  # the Java test turns this into a clear failure
    print("MISSING: jwcrypto is not importable (%s); install python3-jwcrypto" % e)
    sys.exit(3)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--body", required=True)
    p.add_argument("--jws", required=True, help="file holding the X-JWS-Signature value")
    p.add_argument("--alg", default="RS256,PS256,ES256")
    a = p.parse_args()
    allowed = a.alg.split(",")

    with open(a.cert, "rb") as f:
        pem = f.read()
    with open(a.body, "rb") as f:
        body = f.read()
    with open(a.jws, "r", encoding="ascii") as f:
        compact = f.read().strip()

    parts = compact.split(".")
    if len(parts) != 3 or parts[1] != "":
        print("INVALID: not a detached compact JWS")
        return 1
    header = json.loads(b64url_decode(parts[0]))
    if header.get("alg") not in allowed:
        print("INVALID: algorithm not allowed")
        return 1
    for forbidden in ("jwk", "jku", "x5c", "x5u", "crit", "b64"):
        if forbidden in header:
            print("INVALID: header parameter %s not accepted" % forbidden)
            return 1
    cert = x509.load_pem_x509_certificate(pem)
    thumbprint = b64url(hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest())
    if header.get("x5t#S256") != thumbprint:
        print("INVALID: x5t#S256 does not name the given certificate")
        return 1
    if not isinstance(header.get("iat"), int):
        print("INVALID: iat missing or not an integer")
        return 1

    key = jwk.JWK.from_pem(pem)
    token = jws.JWS()
    token.allowed_algs = allowed
    try:
        token.deserialize(parts[0] + "." + b64url(body) + "." + parts[2])
        token.verify(key)
    except (jws.InvalidJWSSignature, jws.InvalidJWSObject, jws.InvalidJWSOperation) as e:
        print("INVALID: %s" % type(e).__name__)
        return 1
    print("VALID alg=%s" % header["alg"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
