// overviewHtml(): the Overview tab's text for each state of an environment, as a string.
#include "OverviewHtml.h"

#include <QTest>

using namespace moltdesk;

class TstOverviewHtml : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void placeholder();
    void notCollectedYet();
    void productionHeadingInCapitals();
    void ownMarkerAndLastSync();
    void missingMarkerOffersStamp();
    void foreignMarkerNamesTheOtherEnvironment();
    void missingCredentialsOfferLink();
    void contentsTableWithTotals();
    void escapesWhatItShows();
};

namespace {
EnvironmentNames names(const QString &env)
{
    EnvironmentNames n;
    n.environment = env;
    n.bucket = QStringLiteral("moltbot-data-") + env;
    n.mountPath = QStringLiteral("/data/moltbot");
    return n;
}

EnvironmentStatus status(const EnvironmentNames &n)
{
    EnvironmentStatus st;
    st.names = n;
    st.location = QStringLiteral("/srv/r2/") + n.bucket;
    st.credentialText = QStringLiteral("not needed (mount)");
    st.markerState = EnvironmentStatus::MarkerState::Own;
    st.lastSyncState = EnvironmentStatus::LastSyncState::Missing;
    return st;
}

const QDateTime kNow = QDateTime(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
} // namespace

void TstOverviewHtml::placeholder()
{
    QCOMPARE(overviewPlaceholderHtml(), QStringLiteral("<p>Select an environment.</p>"));
}

void TstOverviewHtml::notCollectedYet()
{
    const EnvironmentNames n = names(QStringLiteral("development"));
    const QString checking = overviewHtml(n, std::nullopt, true, kNow);
    QVERIFY(checking.startsWith(QStringLiteral("<h2>development</h2>")));
    QVERIFY(checking.contains(QStringLiteral("<code>moltbot-data-development</code>")));
    QVERIFY(checking.contains(QStringLiteral("<b>status</b></td><td>updating…</td>")));
    QVERIFY(checking.endsWith(QStringLiteral("</table>")));
    QVERIFY(overviewHtml(n, std::nullopt, false, kNow).contains(QStringLiteral("<td>not checked</td>")));
    QVERIFY(!checking.contains(QStringLiteral("marker")));
}

void TstOverviewHtml::productionHeadingInCapitals()
{
    const EnvironmentNames n = names(QStringLiteral("production"));
    const QString html = overviewHtml(n, status(n), false, kNow);
    QVERIFY(html.startsWith(QStringLiteral("<h2 style='color:")));
    QVERIFY(html.contains(QStringLiteral("'>PRODUCTION</h2>")));
}

void TstOverviewHtml::ownMarkerAndLastSync()
{
    const EnvironmentNames n = names(QStringLiteral("development"));
    EnvironmentStatus st = status(n);
    st.lastSyncState = EnvironmentStatus::LastSyncState::Valid;
    st.lastSyncRaw = "2026-03-01T11:56:00Z\n";
    st.lastSync = kNow.addSecs(-4 * 60);
    const QString html = overviewHtml(n, st, false, kNow);
    QVERIFY(html.contains(
        QStringLiteral("<b>marker</b></td><td>development <span style='color:#2e7d32'>✔</span>")));
    QVERIFY2(html.contains(QStringLiteral("<code>2026-03-01T11:56:00Z</code> (4 min ago)")),
             qPrintable(html));
    QVERIFY(!html.contains(QStringLiteral("<h3>Contents</h3>"))); // not listed
}

void TstOverviewHtml::missingMarkerOffersStamp()
{
    const EnvironmentNames n = names(QStringLiteral("staging"));
    EnvironmentStatus st = status(n);
    st.markerState = EnvironmentStatus::MarkerState::Missing;
    QVERIFY(
        overviewHtml(n, st, false, kNow)
            .contains(QStringLiteral("none — <a href='moltdesk:stamp'>Stamp this bucket as staging</a>")));
    QVERIFY(overviewHtml(n, st, false, kNow).contains(QStringLiteral("none (never synced)")));
}

void TstOverviewHtml::foreignMarkerNamesTheOtherEnvironment()
{
    const EnvironmentNames n = names(QStringLiteral("development"));
    EnvironmentStatus st = status(n);
    st.markerState = EnvironmentStatus::MarkerState::Foreign;
    IdentityMarker other;
    other.environment = QStringLiteral("production");
    st.marker = other;
    const QString html = overviewHtml(n, st, false, kNow);
    QVERIFY(html.contains(QStringLiteral("<b>✘ names production</b> — this bucket is cross-wired")));
}

void TstOverviewHtml::missingCredentialsOfferLink()
{
    const EnvironmentNames n = names(QStringLiteral("development"));
    EnvironmentStatus st = status(n);
    st.credentialText = QStringLiteral("missing R2_SECRET_ACCESS_KEY");
    st.missingCredentials = {QStringLiteral("R2_SECRET_ACCESS_KEY")};
    const QString html = overviewHtml(n, st, false, kNow);
    QVERIFY(
        html.contains(QStringLiteral("<a href='moltdesk:credentials'>Add credentials for development</a>")));
}

void TstOverviewHtml::contentsTableWithTotals()
{
    const EnvironmentNames n = names(QStringLiteral("development"));
    EnvironmentStatus st = status(n);
    st.listed = true;
    st.objects = 3;
    st.bytes = 2048;
    st.prefixes = {{QStringLiteral("openclaw/"), 2, 1024}, {QString(), 1, 1024}};
    const QString html = overviewHtml(n, st, false, kNow);
    QVERIFY(html.contains(QStringLiteral("<h3>Contents</h3>")));
    QVERIFY(html.contains(QStringLiteral("<code>openclaw/</code>")));
    QVERIFY(html.contains(QStringLiteral("<code>(bucket root)</code>")));
    QVERIFY(html.contains(QStringLiteral("<td><b>total</b></td>")));
    QVERIFY(html.endsWith(QStringLiteral("</table>")));
}

void TstOverviewHtml::escapesWhatItShows()
{
    const EnvironmentNames n = names(QStringLiteral("development"));
    EnvironmentStatus st = status(n);
    st.problems = {QStringLiteral("<script>alert(1)</script>")};
    st.notes = {QStringLiteral("a & b")};
    const QString html = overviewHtml(n, st, false, kNow);
    QVERIFY(html.contains(QStringLiteral("▲ &lt;script&gt;alert(1)&lt;/script&gt;")));
    QVERIFY(html.contains(QStringLiteral("<b>note</b></td><td>a &amp; b</td>")));
    QVERIFY(!html.contains(QStringLiteral("<script>")));
}

QTEST_MAIN(TstOverviewHtml)
#include "tst_overviewhtml.moc"
