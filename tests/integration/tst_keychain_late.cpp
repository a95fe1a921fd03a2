// A keychain that answers late (a real GNOME Keyring on a private D-Bus session, see
// tests/support/with-keyring.sh, with the store's timeout shorter than the keyring's answer): the
// Credentials dialog is closed, or the store destroyed, before the answer arrives. Nothing may crash
// and no answer may reach a dialog that is gone.
#include "Credentials.h"
#include "CredentialsDialog.h"

#include <QApplication>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;

class TestKeychainLate : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (qEnvironmentVariableIsEmpty("MOLTDESK_KEYRING_HOME"))
            QSKIP("NOT RUN: needs tests/support/with-keyring.sh (a real secret service); CTest wraps it");
        // The keyring answers at all (a generous timeout), so a late answer below is really late.
        KeychainStore store(QStringLiteral("moltdesk-late-test"), nullptr, 30000);
        auto f = store.write(QStringLiteral("warm-up"),
                             Credentials{QStringLiteral("id"), QStringLiteral("s"), {}});
        QTRY_VERIFY_WITH_TIMEOUT(f.isFinished(), 30000);
        QVERIFY2(f.result().ok(), qPrintable(f.result().ok() ? QString() : f.result().error().message));
    }

    void dialogClosedBeforeTheAnswer()
    {
        KeychainStore store(QStringLiteral("moltdesk-late-test"), nullptr, 1); // gives up after 1 ms
        EnvironmentNames env{QStringLiteral("development"), QStringLiteral("moltbot-data-development"),
                             QStringLiteral("/data/moltbot-development"),
                             QStringLiteral("moltbot-development")};
        for (int round = 0; round < 5; ++round) {
            auto *dlg = new CredentialsDialog(&store, m_tmp.filePath(QStringLiteral("profile.json")), env);
            QPointer<CredentialsDialog> alive(dlg);
            dlg->show();
            dlg->findChild<QLineEdit *>(QStringLiteral("accessKeyIdEdit"))
                ->setText(QStringLiteral("AKIDLATE"));
            dlg->findChild<QLineEdit *>(QStringLiteral("secretEdit"))->setText(QStringLiteral("late-secret"));
            QSignalSpy stored(dlg, &CredentialsDialog::stored);
            dlg->findChild<QPushButton *>(QStringLiteral("saveButton"))->click();
            // Closed at once: the keychain's answer (and the timeout) come after the dialog is gone.
            dlg->close();
            QTRY_VERIFY(alive.isNull());
            QTest::qWait(1500); // the real keyring answers in this time; a crash would end the test here
        }
    }

    void storeDestroyedBeforeTheAnswer()
    {
        for (int round = 0; round < 5; ++round) {
            QFuture<Result<Credentials>> f;
            {
                KeychainStore store(QStringLiteral("moltdesk-late-test"), nullptr, 1);
                f = store.read(QStringLiteral("warm-up"));
                QTest::qWait(2); // the job has started and timed out, the keyring has not answered
            }
            QTRY_VERIFY(f.isFinished());
            QTest::qWait(1500);
        }
    }
};

QTEST_MAIN(TestKeychainLate)
#include "tst_keychain_late.moc"
