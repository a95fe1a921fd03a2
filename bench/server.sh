# Sourced by bench/run.sh and bench/restore-vs-floor.sh (which set PY, work and state first): starts the
# project's S3 server in $state, stopped and $work removed on exit, and points every client at its admin
# user: aws-cli, rclone (remote "p:") and bench/floor.cpp (S3_ENDPOINT, S3_KEY, S3_SECRET).
trap '$PY tests/support/s3server/s3server.py stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
$PY tests/support/s3server/s3server.py start "$state" >/dev/null
eval "$($PY - "$state/server.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); a = s["users"]["admin"]
print(f'EP={s["endpoint"]}; KEY={a["accessKeyId"]}; SECRET={a["secret"]}')
PY
)"
unset AWS_CA_BUNDLE
export AWS_ACCESS_KEY_ID=$KEY AWS_SECRET_ACCESS_KEY=$SECRET AWS_DEFAULT_REGION=auto
export S3_ENDPOINT=$EP S3_KEY=$KEY S3_SECRET=$SECRET
export RCLONE_CONFIG_P_TYPE=s3 RCLONE_CONFIG_P_PROVIDER=Other RCLONE_CONFIG_P_ENDPOINT=$EP \
       RCLONE_CONFIG_P_ACCESS_KEY_ID=$KEY RCLONE_CONFIG_P_SECRET_ACCESS_KEY=$SECRET \
       RCLONE_CONFIG_P_FORCE_PATH_STYLE=true RCLONE_CONFIG_P_REGION=auto
