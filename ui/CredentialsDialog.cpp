#include "CredentialsDialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace moltdesk {

CredentialsDialog::CredentialsDialog(KeychainStore *keychain, QString profilePath, EnvironmentNames env,
                                     QWidget *parent)
    : QDialog(parent), m_keychain(keychain), m_profilePath(std::move(profilePath)), m_env(std::move(env))
{
    setObjectName(QStringLiteral("credentialsDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(QStringLiteral("Credentials for %1").arg(m_env.displayName()));
    auto *layout = new QVBoxLayout(this);
    auto *intro =
        new QLabel(QStringLiteral("R2 keys for <b>%1</b> (bucket %2). They are stored in the system "
                                  "keychain only.")
                       .arg(m_env.displayName().toHtmlEscaped(), m_env.bucket.toHtmlEscaped()),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_keyId = new QLineEdit(this);
    m_keyId->setObjectName(QStringLiteral("accessKeyIdEdit"));
    m_keyId->setAccessibleName(QStringLiteral("R2 access key id"));
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setAccessibleName(QStringLiteral("R2 secret access key"));
    m_account = new QLineEdit(this);
    m_account->setObjectName(QStringLiteral("accountEdit"));
    m_account->setAccessibleName(QStringLiteral("Cloudflare account id"));
    form->addRow(QStringLiteral("R2_ACCESS_KEY_ID"), m_keyId);
    form->addRow(QStringLiteral("R2_SECRET_ACCESS_KEY"), m_secret);
    form->addRow(QStringLiteral("CF_ACCOUNT_ID"), m_account);
    layout->addLayout(form);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("credentialsNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setVisible(false);
    layout->addWidget(m_note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    layout->addWidget(buttons);
    connect(m_save, &QPushButton::clicked, this, &CredentialsDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &CredentialsDialog::reject);
}

void CredentialsDialog::save()
{
    const Credentials c{m_keyId->text().trimmed(), m_secret->text(), m_account->text().trimmed()};
    if (!c.hasKeys()) {
        m_note->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_note->setText(QStringLiteral("Both the access key id and the secret are needed."));
        m_note->setVisible(true);
        return;
    }
    m_save->setEnabled(false);
    m_note->setStyleSheet(QString());
    m_note->setText(QStringLiteral("Saving to the keychain…"));
    m_note->setVisible(true);
    // Where CredentialResolver looks next: .dev.vars.<env>, or .dev.vars for the legacy environment.
    const QString devVars = QFileInfo(m_profilePath).absolutePath() + QStringLiteral("/.dev.vars") +
                            (m_env.isLegacy() ? QString() : QLatin1Char('.') + m_env.environment);
    // A watcher owned by the dialog: when the dialog closes before the keychain answers, the watcher goes
    // with it and the answer reaches nothing.
    auto *watcher = new QFutureWatcher<Status>(this);
    connect(watcher, &QFutureWatcher<Status>::finished, this, [this, watcher, devVars]() {
        watcher->deleteLater();
        m_save->setEnabled(true);
        if (watcher->isCanceled() || watcher->future().resultCount() == 0)
            return;
        const Status s = watcher->result();
        {
            if (s.ok()) {
                m_secret->clear();
                m_note->setStyleSheet(QStringLiteral("color: #2e7d32;"));
                m_note->setText(QStringLiteral("Stored in the keychain."));
                Q_EMIT stored(m_env);
                return;
            }
            m_note->setStyleSheet(QStringLiteral("color: #c62828;"));
            m_note->setText(QStringLiteral("The keychain did not take the keys: %1\nPut them in %2 instead "
                                           "(R2_ACCESS_KEY_ID=…, R2_SECRET_ACCESS_KEY=…, CF_ACCOUNT_ID=…), "
                                           "readable only by you.")
                                .arg(s.error().message, devVars));
        }
    });
    watcher->setFuture(m_keychain->write(KeychainStore::entryName(m_profilePath, m_env), c));
}

} // namespace moltdesk
