#!/usr/bin/python3
"""Signs requests with Debian's botocore, as the reference for our SigV4 signer.
stdin: JSON list of {method, url, headers: {..}, body, accessKey, secret, region, amzDate}
stdout: JSON list of {canonicalRequest, signature}. The url's path must be already encoded."""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials

out = []
for r in json.load(sys.stdin):
    creds = botocore.credentials.Credentials(r["accessKey"], r["secret"])
    # botocore hashes the body itself: give it the same bytes our client hashed.
    req = botocore.awsrequest.AWSRequest(method=r["method"], url=r["url"], headers=r["headers"],
                                         data=r["body"].encode("utf-8"))
    fixed = datetime.datetime.strptime(r["amzDate"], "%Y%m%dT%H%M%SZ")
    auth = botocore.auth.S3SigV4Auth(creds, "s3", r["region"])
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = fixed
        dt.datetime.now.return_value = fixed
        auth.add_auth(req)
    sig = req.headers["Authorization"].split("Signature=")[1]
    del req.headers["Authorization"]  # the canonical request as it was signed
    canonical = auth.canonical_request(req)
    out.append({"canonicalRequest": canonical, "signature": sig})
json.dump(out, sys.stdout)
