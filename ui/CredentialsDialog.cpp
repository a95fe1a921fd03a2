#include "CredentialsDialog.h"

#include "CredentialFiles.h"
#include "QueuedDelivery.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace moltdesk {

namespace {
constexpr auto kRed = "#c62828";
constexpr auto kGreen = "#2e7d32";
} // namespace

CredentialsDialog::CredentialsDialog(KeychainStore *keychain, QString profilePath, EnvironmentNames env,
                                     QWidget *parent)
    : QDialog(parent), m_keychain(keychain), m_profilePath(std::move(profilePath)), m_env(std::move(env))
{
    buildUi();
}

CredentialsDialog::CredentialsDialog(KeychainStore *keychain, SessionPtr session, EnvironmentNames env,
                                     QThreadPool *pool, QWidget *parent)
    : QDialog(parent), m_keychain(keychain), m_session(std::move(session)),
      m_profilePath(m_session ? m_session->profilePath : QString()), m_env(std::move(env)), m_pool(pool)
{
    buildUi();
}

void CredentialsDialog::buildUi()
{
    setObjectName(QStringLiteral("credentialsDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    // Sized to what it holds, never stretched empty: the form decides the width, wrapped notes the height.
    layout->setSizeConstraint(QLayout::SetMinAndMaxSize);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    if (m_session) {
        m_envCombo = new QComboBox(this);
        m_envCombo->setObjectName(QStringLiteral("environmentCombo"));
        m_envCombo->setAccessibleName(QStringLiteral("Environment"));
        for (const EnvironmentNames &e : m_session->workspace.environments())
            m_envCombo->addItem(e.displayName());
        form->addRow(QStringLiteral("&Environment:"), m_envCombo);
    }
    m_intro = new QLabel(this);
    m_intro->setObjectName(QStringLiteral("credentialsIntro"));
    m_intro->setWordWrap(true);
    layout->addWidget(m_intro);
    const int wide = fontMetrics().horizontalAdvance(QLatin1Char('x')) * 48; // a whole R2 secret
    m_keyId = new QLineEdit(this);
    m_keyId->setObjectName(QStringLiteral("accessKeyIdEdit"));
    m_keyId->setAccessibleName(QStringLiteral("R2 access key id"));
    m_keyId->setMinimumWidth(wide);
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setAccessibleName(QStringLiteral("R2 secret access key"));
    m_secret->setMinimumWidth(wide);
    m_showSecret = new QCheckBox(QStringLiteral("Sh&ow secret"), this);
    m_showSecret->setObjectName(QStringLiteral("showSecretCheck"));
    m_account = new QLineEdit(this);
    m_account->setObjectName(QStringLiteral("accountEdit"));
    m_account->setAccessibleName(QStringLiteral("Cloudflare account id"));
    form->addRow(QStringLiteral("R2_ACCESS_&KEY_ID:"), m_keyId);
    form->addRow(QStringLiteral("R2_SECRET_ACCESS_KE&Y:"), m_secret);
    form->addRow(QString(), m_showSecret);
    form->addRow(QStringLiteral("CF_ACCOUNT_&ID:"), m_account);
    layout->addLayout(form);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setVisible(false);
    layout->addWidget(m_testResult);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("credentialsNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setVisible(false);
    layout->addWidget(m_note);
    layout->addWidget(buildButtons());
    connect(m_showSecret, &QCheckBox::toggled, this,
            [this](bool show) { m_secret->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password); });
    if (m_envCombo) {
        m_envCombo->setCurrentIndex(qMax(0, m_envCombo->findText(m_env.displayName())));
        connect(m_envCombo, &QComboBox::currentIndexChanged, this, [this](int i) {
            if (i >= 0 && i < m_session->workspace.environments().size())
                setEnvironment(m_session->workspace.environments().at(i));
        });
    }
    setEnvironment(m_env);
}

QWidget *CredentialsDialog::buildButtons()
{
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setText(QStringLiteral("&Save to Keychain"));
    m_test = buttons->addButton(QStringLiteral("&Test Connection"), QDialogButtonBox::ActionRole);
    m_test->setObjectName(QStringLiteral("testButton"));
    m_test->setVisible(bool(m_session));
    m_writeDevVars = buttons->addButton(QStringLiteral("Write .dev.vars"), QDialogButtonBox::ActionRole);
    m_writeDevVars->setObjectName(QStringLiteral("writeDevVarsButton"));
    m_writeDevVars->setVisible(false); // offered once the keychain refused
    connect(m_save, &QPushButton::clicked, this, &CredentialsDialog::save);
    connect(m_test, &QPushButton::clicked, this, &CredentialsDialog::testConnection);
    connect(m_writeDevVars, &QPushButton::clicked, this, &CredentialsDialog::writeDevVarsFile);
    connect(buttons, &QDialogButtonBox::rejected, this, &CredentialsDialog::reject);
    return buttons;
}

void CredentialsDialog::setEnvironment(const EnvironmentNames &env)
{
    m_env = env;
    ++m_testGeneration; // a test still running was for the other environment
    setWindowTitle(QStringLiteral("Set R2 Credentials for %1").arg(m_env.displayName()));
    m_intro->setText(QStringLiteral("R2 keys for <b>%1</b> (bucket <code>%2</code>). Save stores them in the "
                                    "system keychain only.")
                         .arg(m_env.displayName().toHtmlEscaped(), m_env.bucket.toHtmlEscaped()));
    m_writeDevVars->setText(
        QStringLiteral("&Write %1 for Me")
            .arg(QFileInfo(devVarsPath()).fileName().replace(QLatin1Char('&'), QStringLiteral("&&"))));
    m_testResult->setVisible(false);
    m_note->setVisible(false);
    m_writeDevVars->setVisible(false);
    adjustSize();
}

QString CredentialsDialog::devVarsPath() const
{
    return CredentialResolver::devVarsFiles(m_profilePath, m_env).value(0);
}

Credentials CredentialsDialog::typed() const
{
    return Credentials{m_keyId->text().trimmed(), m_secret->text(), m_account->text().trimmed()};
}

void CredentialsDialog::say(const QString &text, const QString &color)
{
    m_note->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1;").arg(color));
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
    adjustSize();
}

void CredentialsDialog::save()
{
    if (!typed().hasKeys()) {
        say(QStringLiteral("Both the access key id and the secret are needed."), QLatin1String(kRed));
        return;
    }
    m_save->setEnabled(false);
    say(QStringLiteral("Saving to the keychain…"));
    // A watcher owned by the dialog: when the dialog closes before the keychain answers, the watcher goes
    // with it and the answer reaches nothing.
    auto *watcher = new QFutureWatcher<Status>(this);
    connect(watcher, &QFutureWatcher<Status>::finished, this, [this, watcher]() {
        watcher->deleteLater();
        m_save->setEnabled(true);
        if (watcher->isCanceled() || watcher->future().resultCount() == 0)
            return;
        keychainAnswered(watcher->result());
    });
    watcher->setFuture(m_keychain->write(KeychainStore::entryName(m_profilePath, m_env), typed()));
}

void CredentialsDialog::keychainAnswered(const Status &s)
{
    if (s.ok()) {
        m_secret->clear();
        say(QStringLiteral("Stored in the keychain."), QLatin1String(kGreen));
        Q_EMIT stored(m_env, QStringLiteral("keychain"));
        return;
    }
    // What to do, in words; the raw error (D-Bus names and all) stays in the tooltip for a bug report.
    say(keychainAdvice(s.error().message, devVarsPath()), QLatin1String(kRed));
    m_note->setToolTip(s.error().message);
    m_writeDevVars->setVisible(!m_profilePath.isEmpty());
}

void CredentialsDialog::writeDevVarsFile()
{
    if (!typed().hasKeys() || !m_pool) {
        say(QStringLiteral("Both the access key id and the secret are needed."), QLatin1String(kRed));
        return;
    }
    const QString path = devVarsPath();
    const QString profile = m_profilePath;
    const Credentials c = typed();
    const EnvironmentNames env = m_env;
    m_writeDevVars->setEnabled(false);
    const auto writing =
        QtConcurrent::run(m_pool, [path, profile, c]() { return writeDevVars(path, profile, c); });
    deliverQueued(writing, this, [this, path, env](const Status &s) {
        m_writeDevVars->setEnabled(true);
        if (!s) {
            say(QStringLiteral("Could not write %1: %2").arg(path, s.error().message), QLatin1String(kRed));
            return;
        }
        m_secret->clear();
        say(QStringLiteral("Written to %1 (readable only by you). Moltdesk reads it when the keychain has "
                           "nothing for %2.")
                .arg(path, env.displayName()),
            QLatin1String(kGreen));
        m_writeDevVars->setVisible(false);
        Q_EMIT stored(env, path);
    });
}

void CredentialsDialog::testConnection()
{
    if (!m_session || !m_pool)
        return;
    if (!typed().hasKeys()) {
        say(QStringLiteral("Type the access key id and the secret first."), QLatin1String(kRed));
        return;
    }
    const quint64 gen = ++m_testGeneration;
    const SessionPtr s = m_session;
    const EnvironmentNames env = m_env;
    CredentialLookup lookup;
    lookup.credentials = typed();
    lookup.source = CredentialSource::None; // typed, not stored anywhere yet
    m_test->setEnabled(false);
    m_testResult->setStyleSheet(QString());
    m_testResult->setText(QStringLiteral("Listing %1 with these keys…").arg(env.bucket));
    m_testResult->setVisible(true);
    deliverQueued(
        QtConcurrent::run(m_pool,
                          [s, env, lookup]() -> Status {
                              auto backend = s->factory.open(env, lookup);
                              if (!backend)
                                  return backend.error();
                              ListRequest one;
                              one.maxKeys = 1;
                              const Result<Listing> l = backend.value()->list(one).result();
                              return l ? success() : Status(l.error());
                          }),
        this, [this, gen, env](const Status &st) {
            m_test->setEnabled(true);
            if (gen != m_testGeneration)
                return;
            const QString text =
                st ? QStringLiteral("✔ These keys can list %1.").arg(env.bucket)
                   : QStringLiteral("✘ These keys cannot list %1: %2").arg(env.bucket, st.error().toString());
            m_testResult->setStyleSheet(QStringLiteral("color: %1;").arg(QLatin1String(st ? kGreen : kRed)));
            m_testResult->setText(text);
            adjustSize();
            Q_EMIT tested(st.ok(), text);
        });
}

} // namespace moltdesk
