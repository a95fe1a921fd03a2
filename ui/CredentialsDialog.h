#pragma once

#include "Credentials.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace moltdesk {

// Stores one environment's R2 keys in the OS keychain (never in QSettings or the profile). When the
// keychain cannot take them, a note says where to put them instead (.dev.vars.<env>).
class CredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    CredentialsDialog(KeychainStore *keychain, QString profilePath, EnvironmentNames env,
                      QWidget *parent = nullptr);

Q_SIGNALS:
    void stored(const moltdesk::EnvironmentNames &env);

private:
    void save();

    KeychainStore *m_keychain;
    QString m_profilePath;
    EnvironmentNames m_env;
    QLineEdit *m_keyId;
    QLineEdit *m_secret;
    QLineEdit *m_account;
    QLabel *m_note;
    QPushButton *m_save;
};

} // namespace moltdesk
