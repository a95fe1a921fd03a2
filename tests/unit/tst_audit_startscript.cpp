#include "MountInfo.h"
#include "StartScript.h"

#include <QTest>

using namespace moltdesk;

namespace {

const std::optional<QString> kUnset = std::nullopt;

std::optional<QString> env(const char *name)
{
    return QString::fromLatin1(name);
}

// The seed's Phase 2 script, as shipped (with the surrounding lines that matter).
const QByteArray kFixed = R"SH(#!/bin/bash
set -e
# Paths (clawdbot paths are used internally - upstream hasn't renamed yet)
CONFIG_DIR="/root/.clawdbot"
CONFIG_FILE="$CONFIG_DIR/clawdbot.json"

# Get environment-specific backup directory
# This matches the mount path used by src/config.ts:getR2MountPath()
if [ -n "$ENVIRONMENT" ]; then
    BACKUP_DIR="/data/moltbot-$ENVIRONMENT"
    echo "Using environment-specific backup directory: $BACKUP_DIR (ENVIRONMENT=$ENVIRONMENT)"
else
    BACKUP_DIR="/data/moltbot"
    echo "Using default backup directory: $BACKUP_DIR (no ENVIRONMENT set)"
fi

echo "Config directory: $CONFIG_DIR"
echo "Backup directory: $BACKUP_DIR"
cat > "$CONFIG_FILE" << 'EOFCONFIG'
{ "gateway": { "port": 18789 } }
BACKUP_DIR=/should/not/count
}
EOFCONFIG
if [ -f "$BACKUP_DIR/clawdbot/clawdbot.json" ]; then
    cp -a "$BACKUP_DIR/clawdbot/." "$CONFIG_DIR/"
fi
)SH";

// Before Phase 2.
const QByteArray kHardCoded = R"SH(#!/bin/bash
CONFIG_DIR="/root/.clawdbot"
TEMPLATE_DIR="/root/.clawdbot-templates"
BACKUP_DIR="/data/moltbot"  # hard-coded

echo "Backup directory: $BACKUP_DIR"
)SH";

} // namespace

class TestAuditStartScript : public QObject
{
    Q_OBJECT
private slots:
    void seedFixedScript()
    {
        const StartScript s = StartScript::parse(kFixed, QStringLiteral("start-moltbot.sh"));
        const auto dev = s.evaluateBackupDir(env("development"));
        QVERIFY2(dev.evaluated, qPrintable(dev.problem));
        QCOMPARE(dev.value, QStringLiteral("/data/moltbot-development"));
        QCOMPARE(dev.line, 10);
        const auto prod = s.evaluateBackupDir(env("production"));
        QCOMPARE(prod.value, QStringLiteral("/data/moltbot-production"));
        const auto legacy = s.evaluateBackupDir(kUnset);
        QVERIFY2(legacy.evaluated, qPrintable(legacy.problem));
        QCOMPARE(legacy.value, QStringLiteral("/data/moltbot"));
        QCOMPARE(legacy.line, 13);
        // The worker passes ENVIRONMENT only when non-empty: empty behaves as unset.
        QCOMPARE(s.evaluateBackupDir(QString()).value, QStringLiteral("/data/moltbot"));
    }

    void seedHardCodedScript()
    {
        const StartScript s = StartScript::parse(kHardCoded);
        const auto dev = s.evaluateBackupDir(env("development"));
        QVERIFY(dev.evaluated);
        QCOMPARE(dev.value, QStringLiteral("/data/moltbot"));
        QCOMPARE(dev.line, 4);
        QCOMPARE(dev.assignment, QStringLiteral("BACKUP_DIR=\"/data/moltbot\""));
    }

    void forms_data()
    {
        QTest::addColumn<QByteArray>("script");
        QTest::addColumn<QString>("environment"); // "-" for unset
        QTest::addColumn<bool>("evaluated");
        QTest::addColumn<QString>("value");
        QTest::newRow("braces") << QByteArray("BACKUP_DIR=\"/data/moltbot-${ENVIRONMENT}\"\n") << "staging"
                                << true << "/data/moltbot-staging";
        QTest::newRow("default operator, set")
            << QByteArray("BACKUP_DIR=/data/moltbot${ENVIRONMENT:+-$ENVIRONMENT}\n") << "development" << true
            << "/data/moltbot-development";
        QTest::newRow("default operator, unset")
            << QByteArray("BACKUP_DIR=/data/moltbot${ENVIRONMENT:+-$ENVIRONMENT}\n") << "-" << true
            << "/data/moltbot";
        QTest::newRow("colon-minus") << QByteArray("BACKUP_DIR=\"/data/moltbot-${ENVIRONMENT:-legacy}\"\n")
                                     << "-" << true << "/data/moltbot-legacy";
        QTest::newRow("single quotes are literal") << QByteArray("BACKUP_DIR='/data/moltbot-$ENVIRONMENT'\n")
                                                   << "development" << true << "/data/moltbot-$ENVIRONMENT";
        QTest::newRow("one-line if/else")
            << QByteArray("if [ -n \"$ENVIRONMENT\" ]; then BACKUP_DIR=\"/data/moltbot-$ENVIRONMENT\"; else "
                          "BACKUP_DIR=/data/moltbot; fi\n")
            << "production" << true << "/data/moltbot-production";
        QTest::newRow("-z, then on next line")
            << QByteArray("if [ -z \"${ENVIRONMENT}\" ]\nthen\n  BACKUP_DIR=/data/moltbot\nelse\n  "
                          "BACKUP_DIR=/data/moltbot-${ENVIRONMENT}\nfi\n")
            << "-" << true << "/data/moltbot";
        QTest::newRow("elif on equality")
            << QByteArray(
                   "if [ \"$ENVIRONMENT\" = production ]; then\n BACKUP_DIR=/data/moltbot-production\nelif "
                   "[[ "
                   "$ENVIRONMENT == development ]]; then\n BACKUP_DIR=/data/moltbot-development\nelse\n "
                   "BACKUP_DIR=/data/moltbot\nfi\n")
            << "development" << true << "/data/moltbot-development";
        // The classic sh pitfall: [ -n $X ] with X unset is [ -n ], which is true.
        QTest::newRow("unquoted -n with ENVIRONMENT unset")
            << QByteArray("if [ -n $ENVIRONMENT ]; then BACKUP_DIR=/data/moltbot-$ENVIRONMENT; else "
                          "BACKUP_DIR=/data/moltbot; fi\n")
            << "-" << true << "/data/moltbot-";
        QTest::newRow("earlier variable")
            << QByteArray("DATA=/data\nexport BACKUP_DIR=\"$DATA/moltbot-$ENVIRONMENT\"\n") << "development"
            << true << "/data/moltbot-development";
        QTest::newRow("last assignment before use")
            << QByteArray("BACKUP_DIR=/a\nBACKUP_DIR=/data/moltbot\necho $BACKUP_DIR\nBACKUP_DIR=/later\n")
            << "development" << true << "/data/moltbot";
        QTest::newRow("here-document is not script")
            << QByteArray("BACKUP_DIR=/data/moltbot\ncat > /tmp/x <<-'EOF'\n\tBACKUP_DIR=/wrong\n\tif [ x ]; "
                          "then\n\tEOF\n")
            << "development" << true << "/data/moltbot";
        QTest::newRow("continuation")
            << QByteArray("BACKUP_DIR=\\\n/data/moltbot\n") << "development" << true << "/data/moltbot";

        QTest::newRow("variable from the container")
            << QByteArray("BACKUP_DIR=\"$R2_ROOT/moltbot\"\n") << "development" << false << QString();
        QTest::newRow("command substitution")
            << QByteArray("BACKUP_DIR=$(get-dir)\n") << "development" << false << QString();
        QTest::newRow("other condition")
            << QByteArray("if [ -d /data/moltbot-x ]; then\n BACKUP_DIR=/data/moltbot-x\nelse\n "
                          "BACKUP_DIR=/data/moltbot\nfi\n")
            << "development" << false << QString();
        QTest::newRow("case")
            << QByteArray(
                   "case \"$ENVIRONMENT\" in\n  production) BACKUP_DIR=/p ;;\n  *) BACKUP_DIR=/d ;;\nesac\n")
            << "production" << false << QString();
        QTest::newRow("&& chain") << QByteArray(
                                         "[ -n \"$ENVIRONMENT\" ] && BACKUP_DIR=/data/moltbot-$ENVIRONMENT\n")
                                  << "development" << false << QString();
        QTest::newRow("function body")
            << QByteArray("setdir() {\n  BACKUP_DIR=/x\n}\nsetdir\n") << "development" << false << QString();
        QTest::newRow("never set") << QByteArray("echo hello\n") << "development" << false << QString();
        QTest::newRow("BACKUP_DIR from the image")
            << QByteArray("BACKUP_DIR=\"${BACKUP_DIR:-/data/moltbot}\"\n") << "development" << false
            << QString();
    }

    void forms()
    {
        QFETCH(QByteArray, script);
        QFETCH(QString, environment);
        QFETCH(bool, evaluated);
        QFETCH(QString, value);
        const StartScript s = StartScript::parse(script);
        const auto r = s.evaluateBackupDir(
            environment == QLatin1String("-") ? kUnset : std::optional<QString>(environment));
        QVERIFY2(r.evaluated == evaluated,
                 qPrintable(r.evaluated ? QStringLiteral("evaluated to ") + r.value : r.problem));
        if (evaluated)
            QCOMPARE(r.value, value);
        else
            QVERIFY(!r.problem.isEmpty());
    }

    void problemNamesTheLine()
    {
        const StartScript s =
            StartScript::parse("#!/bin/sh\nset -e\nif [ -d /x ]; then\n  BACKUP_DIR=/data/moltbot-x\nfi\n");
        const auto r = s.evaluateBackupDir(env("development"));
        QVERIFY(!r.evaluated);
        QCOMPARE(r.line, 4);
        QVERIFY2(r.problem.contains(QLatin1String("line 3")), qPrintable(r.problem));
    }

    void mountInfoParsing()
    {
        const QByteArray text =
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
            "40 22 0:50 / /data/moltbot-production rw,nosuid,nodev,relatime shared:20 - fuse.s3fs s3fs "
            "rw,user_id=0\n"
            "41 22 0:51 / /srv/with\\040space/moltbot-development rw,relatime shared:21 master:3 - "
            "fuse.rclone "
            "r2:moltbot-data-development/sub rw\n"
            "42 22 0:52 / /data/moltbot-production rw - fuse.rclone r2:moltbot-data-production rw\n"
            "garbage line\n";
        const MountInfo mi = MountInfo::parse(text);
        QCOMPARE(mi.entries().size(), 4);
        const MountEntry *dev = mi.at(QStringLiteral("/srv/with space/moltbot-development"));
        QVERIFY(dev);
        QCOMPARE(dev->fsType, QStringLiteral("fuse.rclone"));
        QCOMPARE(MountInfo::bucketOfSource(*dev), QStringLiteral("moltbot-data-development"));
        // Stacked mounts: the later one is on top.
        QCOMPARE(mi.at(QStringLiteral("/data/moltbot-production/"))->fsType, QStringLiteral("fuse.rclone"));
        QVERIFY(!mi.at(QStringLiteral("/data/moltbot")));
        const MountEntry *up = mi.containing(QStringLiteral("/data/moltbot-production/clawdbot"));
        QVERIFY(up);
        QCOMPARE(up->mountPoint, QStringLiteral("/data/moltbot-production"));
        QCOMPARE(mi.containing(QStringLiteral("/data/other"))->fsType, QStringLiteral("ext4"));
        QCOMPARE(MountInfo::unescape("a\\134b\\011c\\12"), QStringLiteral("a\\b\tc\\12"));
    }
};

QTEST_GUILESS_MAIN(TestAuditStartScript)
#include "tst_audit_startscript.moc"
