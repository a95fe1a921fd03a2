// The Credentials dialog as an operator meets it, through the real window against the real S3 server,
// on a machine without a keychain (no D-Bus session: DBUS_SESSION_BUS_ADDRESS points nowhere): sized
// to its content, an environment picker, show/hide secret, "Test connection" with the typed keys
// (wrong ones refused, right ones list the bucket) before anything is saved, the keychain's raw D-Bus
// refusal translated into what to do, and "Write .dev.vars.<env> for me": mode 0600, next to the
// profile, the profile untouched, the secret in no log message, and the window then reads the file.
#include "CredentialsDialog.h"
#include "LogCapture.h"
#include "MainWindow.h"
#include "TestServer.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace moltdesk;
using namespace moltdesk::test;

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TstGuiCredentials : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void dialogOfAnOperator();

private:
    CredentialsDialog *openDialog(MainWindow &w, int row);
    TestServer m_server;
    QTemporaryDir m_tmp;
};

void TstGuiCredentials::initTestCase()
{
    LogCapture::install();
    MOLTDESK_REQUIRE_SERVER(m_server);
}

CredentialsDialog *TstGuiCredentials::openDialog(MainWindow &w, int row)
{
    w.selectRow(row);
    auto *action = w.findChild<QAction *>(QStringLiteral("actionCredentials"));
    if (!action->isEnabled())
        return nullptr;
    action->trigger();
    auto *dlg = w.findChild<CredentialsDialog *>(QStringLiteral("credentialsDialog"));
    return dlg && dlg->isVisible() ? dlg : nullptr;
}

void TstGuiCredentials::dialogOfAnOperator()
{
    const QString profile = m_tmp.filePath(QStringLiteral("ws/profile.json"));
    QVERIFY(QDir().mkpath(QFileInfo(profile).absolutePath()));
    const QByteArray profileJson = QJsonDocument(m_server.profile()).toJson();
    {
        QFile f(profile);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(profileJson) == profileJson.size());
    }
    MainWindow::Options o;
    o.activityLogPath = m_tmp.filePath(QStringLiteral("activity.jsonl"));
    o.useKeychain = true; // the real keychain path, which has no D-Bus session to talk to here
    MainWindow w(o);
    w.show();
    QSignalSpy refreshed(&w, &MainWindow::statusRefreshed);
    w.openProfile(profile);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 60000);

    CredentialsDialog *dlg = openDialog(w, 0);
    QVERIFY(dlg);
    QVERIFY(dlg->windowTitle().contains(QStringLiteral("development")));
    // Sized to its content and on the screen.
    const QRect avail = dlg->screen()->availableGeometry();
    QVERIFY(dlg->width() <= avail.width() && dlg->height() <= avail.height());
    QVERIFY2(
        dlg->height() <= dlg->sizeHint().height() + 8,
        qPrintable(QStringLiteral("%1 high for a %2 hint").arg(dlg->height()).arg(dlg->sizeHint().height())));
    for (QPushButton *b : dlg->findChildren<QPushButton *>())
        if (b->isVisible())
            QVERIFY(dlg->rect().contains(QRect(b->mapTo(dlg, QPoint(0, 0)), b->size())));

    // The environment picker.
    auto *combo = dlg->findChild<QComboBox *>(QStringLiteral("environmentCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->count(), 3); // development, production, (legacy)
    combo->setCurrentIndex(1);
    QVERIFY(dlg->windowTitle().contains(QStringLiteral("production")));
    QVERIFY(dlg->devVarsPath().endsWith(QStringLiteral("/.dev.vars.production")));
    combo->setCurrentIndex(0);
    QCOMPARE(dlg->environment().environment, QStringLiteral("development"));

    // Show / hide the secret.
    const ServerUser dev = m_server.user(QStringLiteral("dev"));
    auto *keyId = dlg->findChild<QLineEdit *>(QStringLiteral("accessKeyIdEdit"));
    auto *secret = dlg->findChild<QLineEdit *>(QStringLiteral("secretEdit"));
    auto *show = dlg->findChild<QCheckBox *>(QStringLiteral("showSecretCheck"));
    QTest::keyClicks(keyId, dev.accessKeyId);
    QTest::keyClicks(secret, dev.secret + QStringLiteral("-wrong"));
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    show->setChecked(true);
    QCOMPARE(secret->echoMode(), QLineEdit::Normal);
    show->setChecked(false);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);

    // Test connection: the wrong secret is refused by the server, the right one lists the bucket.
    QSignalSpy tested(dlg, &CredentialsDialog::tested);
    auto *test = dlg->findChild<QPushButton *>(QStringLiteral("testButton"));
    QVERIFY(test->isVisible());
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 1, 60000);
    QVERIFY2(!tested.at(0).at(0).toBool(), qPrintable(tested.at(0).at(1).toString()));
    secret->clear();
    QTest::keyClicks(secret, dev.secret);
    QTest::mouseClick(test, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(tested.count(), 2, 60000);
    QVERIFY2(tested.at(1).at(0).toBool(), qPrintable(tested.at(1).at(1).toString()));
    QVERIFY(tested.at(1).at(1).toString().contains(QStringLiteral("moltbot-data-development")));
    QVERIFY(!QFileInfo::exists(dlg->devVarsPath())); // testing stores nothing

    // Save: the keychain cannot be reached; the dialog says what to do, not the D-Bus error.
    auto *note = dlg->findChild<QLabel *>(QStringLiteral("credentialsNote"));
    auto *writeButton = dlg->findChild<QPushButton *>(QStringLiteral("writeDevVarsButton"));
    QTest::mouseClick(dlg->findChild<QPushButton *>(QStringLiteral("saveButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(writeButton->isVisible(), 20000);
    QVERIFY2(!note->text().contains(QStringLiteral("org.freedesktop")) &&
                 !note->text().contains(QStringLiteral("DBus.Error")),
             qPrintable(note->text()));
    QVERIFY2(note->text().contains(QStringLiteral(".dev.vars.development")), qPrintable(note->text()));
    QVERIFY(writeButton->text().contains(QStringLiteral(".dev.vars.development")));

    // Write .dev.vars.development for me: 0600, next to the profile, the profile untouched.
    QSignalSpy stored(dlg, &CredentialsDialog::stored);
    const QString devVars = dlg->devVarsPath();
    QCOMPARE(QFileInfo(devVars).absolutePath(), QFileInfo(profile).absolutePath());
    QTest::mouseClick(writeButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(stored.count(), 1, 20000);
    QCOMPARE(stored.at(0).at(1).toString(), devVars);
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(devVars).constData(), &st), 0);
    QCOMPARE(int(st.st_mode & 0777), 0600);
    QVERIFY(readFile(devVars).contains(dev.secret.toUtf8()));
    QCOMPARE(readFile(profile), profileJson);
    QVERIFY(secret->text().isEmpty());
    delete dlg;

    // The window now takes development's keys from that file, and lists its bucket with them.
    refreshed.clear();
    w.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 60000);
    auto *view = w.findChild<QAbstractItemView *>(QStringLiteral("environmentsTable"));
    bool fromFile = false;
    for (int c = 0; c < view->model()->columnCount(); ++c)
        fromFile |= view->model()->index(0, c).data().toString() == QLatin1String(".dev.vars.development");
    QVERIFY(fromFile);
    QTest::qWait(300); // the activity log's append
    QVERIFY(!readFile(o.activityLogPath).contains(dev.secret.toUtf8()));
    QVERIFY2(!LogCapture::text().contains(dev.secret.toUtf8()), "the secret reached a log message");
}

int main(int argc, char **argv)
{
    QTemporaryDir home;
    for (const char *v : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"})
        qputenv(v, (home.path() + QLatin1Char('/') + QString::fromLatin1(v).mid(4).toLower()).toUtf8());
    // No keychain: a session bus that does not exist, so the secret service's refusal is a raw D-Bus one.
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            (QStringLiteral("unix:path=") + home.path() + QStringLiteral("/no-bus")).toUtf8());
    qputenv("QT_LOGGING_RULES", "moltdesk.*.debug=true");
    QApplication app(argc, argv);
    app.setOrganizationName(QStringLiteral("moltdesk-test"));
    app.setApplicationName(QStringLiteral("moltdesk"));
    TstGuiCredentials t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_gui_credentials.moc"
