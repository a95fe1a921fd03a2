// IdentityMarker::read, the one reader of `.moltdesk-environment`, in each of its states on a real
// mount-mode bucket, and stampMarker's policy for each: an unreadable marker is kept unless asked.
#include "IdentityMarker.h"
#include "MountBackend.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

class TestIdentityMarker : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    EnvironmentNames m_dev, m_prod;

    QString bucketDir(const EnvironmentNames &env) const { return m_tmp.filePath(env.bucket); }
    QString markerFile(const EnvironmentNames &env) const
    {
        return bucketDir(env) + QLatin1Char('/') + QLatin1String(IdentityMarker::kKey);
    }
    void writeMarker(const EnvironmentNames &env, const QByteArray &data)
    {
        QFile f(markerFile(env));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(f.write(data), data.size());
    }
    QByteArray markerBytes(const EnvironmentNames &env) const
    {
        QFile f(markerFile(env));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_dev = BucketNaming().resolve(QStringLiteral("development")).value();
        m_prod = BucketNaming().resolve(QStringLiteral("production")).value();
        QVERIFY(QDir().mkpath(bucketDir(m_dev)));
        QVERIFY(QDir().mkpath(bucketDir(m_prod)));
    }
    void init()
    {
        QFile::remove(markerFile(m_dev));
        QFile::remove(markerFile(m_prod));
    }

    void readsEachState()
    {
        MountBackend dev(m_dev.bucket, bucketDir(m_dev));
        MarkerReading r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Missing);
        QVERIFY(!r.marker && !r.error);

        writeMarker(
            m_dev, IdentityMarker{m_dev.environment, m_dev.bucket, QDateTime::currentDateTimeUtc()}.toJson());
        r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Own);
        QCOMPARE(r.marker->environment, m_dev.environment);
        QVERIFY(!r.forOtherBucket(m_dev));

        writeMarker(m_dev, IdentityMarker{m_dev.environment, m_prod.bucket, {}}.toJson());
        r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Own);
        QVERIFY(r.forOtherBucket(m_dev));

        writeMarker(m_dev, IdentityMarker{m_prod.environment, m_prod.bucket, {}}.toJson());
        r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Foreign);
        QCOMPARE(r.marker->environmentLabel(), QStringLiteral("production"));
        QCOMPARE(r.describe(), QStringLiteral("names production"));

        // The legacy environment's marker names no environment, and is foreign to development.
        writeMarker(m_dev, IdentityMarker{QString(), QStringLiteral("moltbot-data"), {}}.toJson());
        r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Foreign);
        QCOMPARE(r.marker->environmentLabel(), QStringLiteral("(legacy)"));

        writeMarker(m_dev, "not json at all");
        r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Unreadable);
        QCOMPARE(r.raw, QByteArray("not json at all"));
        QVERIFY(r.error && r.error->message.contains(QLatin1String("not a JSON object")));
        QVERIFY(!r.marker);

        writeMarker(m_dev, R"({"environment": 3})");
        QCOMPARE(IdentityMarker::read(dev, m_dev).state, MarkerState::Unreadable);

        // Larger than any marker: something is there and it is not one.
        writeMarker(m_dev, QByteArray(IdentityMarker::kMaxBytes + 1, '{'));
        r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Unreadable);
        QVERIFY(r.error);
    }

    // A bucket that cannot be asked says nothing: not missing, not unreadable evidence.
    void failedFetchIsNotRead()
    {
        const Result<QByteArray> down = makeError(ErrorKind::Network, QStringLiteral("connection refused"));
        const MarkerReading r = IdentityMarker::classify(down, m_dev);
        QCOMPARE(r.state, MarkerState::NotRead);
        QCOMPARE(r.error->kind, ErrorKind::Network);
        QVERIFY(r.describe().contains(QLatin1String("connection refused")));
        const Result<QByteArray> denied = makeError(ErrorKind::AccessDenied, QStringLiteral("403"));
        QCOMPARE(IdentityMarker::classify(denied, m_dev).state, MarkerState::NotRead);
        QCOMPARE(IdentityMarker::classify(makeError(ErrorKind::NotFound, QStringLiteral("404")), m_dev).state,
                 MarkerState::Missing);
    }

    void stampKeepsAnUnreadableMarkerUnlessAsked()
    {
        MountBackend dev(m_dev.bucket, bucketDir(m_dev));
        writeMarker(m_dev, "garbage");
        const Status refused = stampMarker(dev, m_dev);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, ErrorKind::Refused);
        QCOMPARE(refused.error().code, QLatin1String(StampRefusal::UnreadableMarker));
        QVERIFY(refused.error().message.contains(QLatin1String("--force")));
        QCOMPARE(markerBytes(m_dev), QByteArray("garbage"));

        QVERIFY(stampMarker(dev, m_dev, StampOptions{.overwriteUnreadable = true}).ok());
        const MarkerReading r = IdentityMarker::read(dev, m_dev);
        QCOMPARE(r.state, MarkerState::Own);
        QCOMPARE(r.marker->bucket, m_dev.bucket);
    }

    void stampNeverOverwritesAForeignMarker()
    {
        MountBackend prod(m_prod.bucket, bucketDir(m_prod));
        const QByteArray foreign = IdentityMarker{m_dev.environment, m_dev.bucket, {}}.toJson();
        writeMarker(m_prod, foreign);
        for (bool force : {false, true}) {
            const Status st = stampMarker(
                prod, m_prod, StampOptions{.overwriteUnreadable = force, .confirmation = m_prod.environment});
            QCOMPARE(st.error().code, QLatin1String(StampRefusal::CrossWired));
            QCOMPARE(markerBytes(m_prod), foreign);
        }
        // Not the environment's bucket at all.
        MountBackend dev(m_dev.bucket, bucketDir(m_dev));
        QCOMPARE(stampMarker(dev, m_prod, {.confirmation = m_prod.environment}).error().code,
                 QLatin1String(StampRefusal::WrongBucket));
    }

    // Stamping writes to the bucket: production's only with its name typed, checked here in the core
    // so moltctl and the window cannot differ. Nothing is written without it.
    void stampingProductionNeedsItsName()
    {
        MountBackend prod(m_prod.bucket, bucketDir(m_prod));
        for (const QString &typed :
             {QString(), QStringLiteral("Production"), QStringLiteral("development")}) {
            const Status st = stampMarker(prod, m_prod, {.confirmation = typed});
            QVERIFY2(!st.ok(), qPrintable(typed));
            QCOMPARE(st.error().kind, ErrorKind::Refused);
            QVERIFY(st.error().message.contains(QLatin1String("--confirm production")));
            QVERIFY(!QFileInfo::exists(bucketDir(m_prod) + QStringLiteral("/.moltdesk-environment")));
        }
        QVERIFY(stampMarker(prod, m_prod, {.confirmation = m_prod.environment}).ok());
        QVERIFY(QFileInfo::exists(bucketDir(m_prod) + QStringLiteral("/.moltdesk-environment")));
    }

    void stampRewritesAMarkerCopiedFromAnotherBucket()
    {
        MountBackend dev(m_dev.bucket, bucketDir(m_dev));
        QVERIFY(stampMarker(dev, m_dev).ok());
        QCOMPARE(IdentityMarker::read(dev, m_dev).state, MarkerState::Own);
        const QByteArray first = markerBytes(m_dev);
        QVERIFY(stampMarker(dev, m_dev).ok()); // already stamped: kept as it is
        QCOMPARE(markerBytes(m_dev), first);
        writeMarker(m_dev, IdentityMarker{m_dev.environment, m_prod.bucket, {}}.toJson());
        QVERIFY(stampMarker(dev, m_dev).ok());
        QCOMPARE(IdentityMarker::read(dev, m_dev).marker->bucket, m_dev.bucket);
    }
};

QTEST_GUILESS_MAIN(TestIdentityMarker)
#include "tst_identitymarker.moc"
