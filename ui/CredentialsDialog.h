#pragma once

#include "Credentials.h"
#include "Session.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QThreadPool;

namespace moltdesk {

// One environment's R2 keys: picked from the profile's environments, typed (the secret hidden unless
// "Show secret" is ticked), tried with "Test connection" (a one-key listing of the bucket with the
// typed keys, on the window's work pool) and stored in the OS keychain — never in QSettings or the
// profile. When the keychain refuses, the dialog says what to do in words (keychainAdvice) and offers
// "Write .dev.vars.<env> for me" (mode 0600, next to the profile; never the profile, never logged).
class CredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    // Keychain only: no environment picker, no connection test (tests of the keychain itself).
    CredentialsDialog(KeychainStore *keychain, QString profilePath, EnvironmentNames env,
                      QWidget *parent = nullptr);
    CredentialsDialog(KeychainStore *keychain, SessionPtr session, EnvironmentNames env, QThreadPool *pool,
                      QWidget *parent = nullptr);

    EnvironmentNames environment() const { return m_env; }
    // The file "Write … for me" writes: .dev.vars.<env> (.dev.vars for legacy) next to the profile.
    QString devVarsPath() const;

Q_SIGNALS:
    // `where`: "keychain" or the .dev.vars file written.
    void stored(const moltdesk::EnvironmentNames &env, const QString &where = QStringLiteral("keychain"));
    void tested(bool ok, const QString &text);

private:
    void buildUi();
    QWidget *buildButtons();
    void setEnvironment(const EnvironmentNames &env);
    Credentials typed() const;
    void save();
    void keychainAnswered(const Status &s);
    void testConnection();
    void writeDevVarsFile();
    void say(const QString &text, const QString &color = {});

    KeychainStore *m_keychain;
    SessionPtr m_session;
    QString m_profilePath;
    EnvironmentNames m_env;
    QThreadPool *m_pool = nullptr;
    quint64 m_testGeneration = 0;
    QLabel *m_intro = nullptr;
    QComboBox *m_envCombo = nullptr;
    QLineEdit *m_keyId = nullptr;
    QLineEdit *m_secret = nullptr;
    QCheckBox *m_showSecret = nullptr;
    QLineEdit *m_account = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_testResult = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_writeDevVars = nullptr;
};

} // namespace moltdesk
