#include "ProfileDialog.h"

#include "QueuedDelivery.h"
#include "UiLogging.h"
#include "WranglerConfig.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace moltdesk {

namespace {
enum StoragePage { S3Page, MountPage };
enum SyncColumn { LocalColumn, PrefixColumn };

QStringList lines(const QPlainTextEdit *e)
{
    QStringList out;
    const QStringList all = e->toPlainText().split(QLatin1Char('\n'));
    for (const QString &l : all) {
        const QString t = l.trimmed();
        if (!t.isEmpty())
            out << t;
    }
    return out;
}

QLabel *errorLabel(const QString &name, QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setStyleSheet(QStringLiteral("color: #c62828;"));
    l->setVisible(false);
    return l;
}

// A new profile starts from what the seed deployment uses: R2 by account id, the two sync sets.
Profile newProfileDefaults()
{
    Profile defaults;
    defaults.storage.type = StorageType::S3;
    defaults.syncSets = Profile::defaultSyncSets();
    defaults.exclude = Profile::defaultExcludes();
    return defaults;
}

// The dynamic property that holds a field's problem (empty: none), for the style and for tests.
constexpr char kProblemProperty[] = "profileProblem";

// Cloudflare account ids are 32 hexadecimal characters.
const QRegularExpression kAccountId(QStringLiteral("^[0-9a-fA-F]{32}$"));
const QRegularExpression kR2Host(QStringLiteral("^([0-9a-fA-F]{32})\\.r2\\.cloudflarestorage\\.com$"));
} // namespace

namespace {
// A form row whose field is a layout (edit + Browse…) gets a label with the edit as its buddy, so the
// mnemonic works and the "&" is not shown as such.
QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text, buddy->parentWidget());
    label->setBuddy(buddy);
    return label;
}
} // namespace

ProfileDialog::ProfileDialog(const QString &path, const Profile *existing, QWidget *parent)
    : QDialog(parent), m_isNew(existing == nullptr), m_fixedPath(existing ? path : QString())
{
    setObjectName(QStringLiteral("profileDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(m_isNew ? QStringLiteral("Create a New Profile") : QStringLiteral("Edit Profile"));
    resize(720, 720);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    buildFileRows(form);
    buildEnvironmentRows(form);
    buildStorageRows(form);
    buildSyncSetRows(form);
    buildOtherRows(form);
    layout->addLayout(form, 1);
    if (!m_isNew) {
        auto *note = new QLabel(
            QStringLiteral("Saving rewrites the file as plain JSON: comments in it are not kept."), this);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    m_error = errorLabel(QStringLiteral("profileError"), this);
    m_error->setAccessibleName(QStringLiteral("Profile problems"));
    layout->addWidget(m_error);
    buildButtons(layout);
    m_path->setText(m_isNew ? path : QDir::toNativeSeparators(path));
    if (!m_isNew) {
        m_path->setReadOnly(true);
        m_browsePath->setVisible(false);
    }
    load(existing ? *existing : newProfileDefaults());
    connectFields();
    validate();
}

void ProfileDialog::buildFileRows(QFormLayout *form)
{
    auto *pathRow = new QHBoxLayout;
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("profilePathEdit"));
    m_path->setAccessibleName(QStringLiteral("Profile file"));
    m_path->setPlaceholderText(QStringLiteral("where to save, e.g. ~/deploy/moltdesk.json"));
    m_browsePath = new QPushButton(QStringLiteral("Browse…"), this);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browsePath);
    form->addRow(buddyLabel(QStringLiteral("Profile &file"), m_path), pathRow);
    connect(m_browsePath, &QPushButton::clicked, this, [this]() {
        const QString p =
            QFileDialog::getSaveFileName(this, QStringLiteral("Save the Profile As"), QDir::homePath(),
                                         QStringLiteral("Moltdesk profiles (*.json)"));
        if (!p.isEmpty())
            m_path->setText(QDir::toNativeSeparators(p));
    });
}

void ProfileDialog::buildEnvironmentRows(QFormLayout *form)
{
    m_environments = new QPlainTextEdit(this);
    m_environments->setObjectName(QStringLiteral("environmentsEdit"));
    m_environments->setAccessibleName(QStringLiteral("Environments, one per line"));
    m_environments->setPlaceholderText(QStringLiteral("development\nproduction"));
    m_environments->setTabChangesFocus(true);
    m_environments->setMaximumHeight(90);
    form->addRow(QStringLiteral("&Environments\n(one per line)"), m_environments);
    m_includeLegacy = new QCheckBox(QStringLiteral("Include the legacy bucket (before isolation)"), this);
    m_includeLegacy->setObjectName(QStringLiteral("includeLegacyCheck"));
    form->addRow(QString(), m_includeLegacy);

    auto *wranglerRow = new QHBoxLayout;
    m_wrangler = new QLineEdit(this);
    m_wrangler->setObjectName(QStringLiteral("wranglerEdit"));
    m_wrangler->setAccessibleName(QStringLiteral("wrangler.jsonc path"));
    m_wrangler->setPlaceholderText(QStringLiteral("optional: wrangler.jsonc"));
    m_importWrangler = new QPushButton(QStringLiteral("&Import environments…"), this);
    m_importWrangler->setObjectName(QStringLiteral("importWranglerButton"));
    m_importWrangler->setToolTip(QStringLiteral(
        "Read env.<name>.vars.ENVIRONMENT from a wrangler.jsonc and use them as the environments"));
    wranglerRow->addWidget(m_wrangler, 1);
    wranglerRow->addWidget(m_importWrangler);
    form->addRow(buddyLabel(QStringLiteral("&wrangler.jsonc"), m_wrangler), wranglerRow);
    m_wranglerStatus = new QLabel(this);
    m_wranglerStatus->setObjectName(QStringLiteral("wranglerStatus"));
    m_wranglerStatus->setWordWrap(true);
    m_wranglerStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_wranglerStatus->setVisible(false);
    form->addRow(QString(), m_wranglerStatus);
    connect(m_importWrangler, &QPushButton::clicked, this, &ProfileDialog::chooseWrangler);
}

void ProfileDialog::buildStorageRows(QFormLayout *form)
{
    m_storageType = new QComboBox(this);
    m_storageType->setObjectName(QStringLiteral("storageTypeCombo"));
    m_storageType->setAccessibleName(QStringLiteral("Storage"));
    m_storageType->addItem(QStringLiteral("R2 / S3 endpoint"));
    m_storageType->addItem(QStringLiteral("Local mount (a directory per bucket)"));
    form->addRow(QStringLiteral("&Storage"), m_storageType);
    m_storagePages = new QStackedWidget(this);
    m_storagePages->addWidget(buildS3Page());
    m_storagePages->addWidget(buildMountPage());
    form->addRow(QString(), m_storagePages);
}

QWidget *ProfileDialog::buildS3Page()
{
    auto *s3 = new QWidget(m_storagePages);
    auto *s3l = new QFormLayout(s3);
    s3l->setContentsMargins(0, 0, 0, 0);
    m_endpointGroup = new QButtonGroup(this);
    m_useAccount = new QRadioButton(QStringLiteral("Cloudflare account id"), s3);
    m_useAccount->setObjectName(QStringLiteral("useAccountRadio"));
    m_accountId = new QLineEdit(s3);
    m_accountId->setObjectName(QStringLiteral("accountIdEdit"));
    m_accountId->setAccessibleName(QStringLiteral("Cloudflare account id"));
    m_accountId->setPlaceholderText(QStringLiteral("32 hexadecimal characters"));
    s3l->addRow(m_useAccount, m_accountId);
    m_useEndpoint = new QRadioButton(QStringLiteral("Endpoint URL"), s3);
    m_useEndpoint->setObjectName(QStringLiteral("useEndpointRadio"));
    m_endpoint = new QLineEdit(s3);
    m_endpoint->setObjectName(QStringLiteral("endpointEdit"));
    m_endpoint->setAccessibleName(QStringLiteral("S3 endpoint URL"));
    m_endpoint->setPlaceholderText(QStringLiteral("https://<account>.r2.cloudflarestorage.com"));
    s3l->addRow(m_useEndpoint, m_endpoint);
    m_useDerived = new QRadioButton(QStringLiteral("From each environment's CF_ACCOUNT_ID"), s3);
    m_useDerived->setObjectName(QStringLiteral("useDerivedRadio"));
    s3l->addRow(m_useDerived);
    m_endpointGroup->addButton(m_useAccount);
    m_endpointGroup->addButton(m_useEndpoint);
    m_endpointGroup->addButton(m_useDerived);
    m_region = new QLineEdit(QStringLiteral("auto"), s3);
    m_region->setObjectName(QStringLiteral("regionEdit"));
    m_region->setAccessibleName(QStringLiteral("S3 region"));
    s3l->addRow(QStringLiteral("Region"), m_region);
    auto *keysNote = new QLabel(QStringLiteral("Keys are not part of a profile: store them per environment "
                                               "with Environment › Credentials… (system keychain)."),
                                s3);
    keysNote->setWordWrap(true);
    s3l->addRow(keysNote);
    return s3;
}

QWidget *ProfileDialog::buildMountPage()
{
    auto *mount = new QWidget(m_storagePages);
    auto *ml = new QHBoxLayout(mount);
    ml->setContentsMargins(0, 0, 0, 0);
    ml->addWidget(new QLabel(QStringLiteral("Root directory"), mount));
    m_mountRoot = new QLineEdit(mount);
    m_mountRoot->setObjectName(QStringLiteral("mountRootEdit"));
    m_mountRoot->setAccessibleName(QStringLiteral("Mount root directory"));
    m_mountRoot->setPlaceholderText(
        QStringLiteral("/ in a container; buckets are <root>/data/moltbot-<env>"));
    ml->addWidget(m_mountRoot, 1);
    auto *browseRoot = new QPushButton(QStringLiteral("Browse…"), mount);
    ml->addWidget(browseRoot);
    connect(browseRoot, &QPushButton::clicked, this, [this]() {
        const QString d = QFileDialog::getExistingDirectory(this, QStringLiteral("Choose the Mount Root"),
                                                            QDir::homePath());
        if (!d.isEmpty())
            m_mountRoot->setText(displayPath(d));
    });
    return mount;
}

// Production can be fed from its own folders: the table shows the default sources, or one
// environment's own (empty: it uses the default).
void ProfileDialog::buildSyncSetRows(QFormLayout *form)
{
    auto *syncBox = new QVBoxLayout;
    auto *scopeRow = new QHBoxLayout;
    m_syncScope = new QComboBox(this);
    m_syncScope->setObjectName(QStringLiteral("syncScopeCombo"));
    m_syncScope->setAccessibleName(QStringLiteral("Sync sets for which environment"));
    m_syncScope->addItem(QStringLiteral("Every environment (default)"), QString());
    auto *scopeLabel = new QLabel(QStringLiteral("Sources &for:"), this);
    scopeLabel->setBuddy(m_syncScope);
    scopeRow->addWidget(scopeLabel);
    scopeRow->addWidget(m_syncScope, 1);
    syncBox->addLayout(scopeRow);
    m_syncSets = new QTableWidget(0, 2, this);
    m_syncSets->setObjectName(QStringLiteral("syncSetsTable"));
    m_syncSets->setAccessibleName(QStringLiteral("Sync sets"));
    m_syncSets->setHorizontalHeaderLabels({QStringLiteral("Local folder"), QStringLiteral("Bucket prefix")});
    m_syncSets->horizontalHeader()->setSectionResizeMode(LocalColumn, QHeaderView::Stretch);
    m_syncSets->horizontalHeader()->setSectionResizeMode(PrefixColumn, QHeaderView::ResizeToContents);
    m_syncSets->verticalHeader()->setVisible(false);
    m_syncSets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_syncSets->setMaximumHeight(120);
    syncBox->addWidget(m_syncSets);
    auto *syncButtons = new QHBoxLayout;
    m_addSyncSet = new QPushButton(QStringLiteral("Add"), this);
    m_addSyncSet->setObjectName(QStringLiteral("addSyncSetButton"));
    m_addSyncSet->setAccessibleName(QStringLiteral("Add a sync set"));
    m_removeSyncSet = new QPushButton(QStringLiteral("Remove"), this);
    m_removeSyncSet->setObjectName(QStringLiteral("removeSyncSetButton"));
    m_removeSyncSet->setAccessibleName(QStringLiteral("Remove the selected sync set"));
    syncButtons->addWidget(m_addSyncSet);
    syncButtons->addWidget(m_removeSyncSet);
    syncButtons->addStretch();
    syncBox->addLayout(syncButtons);
    form->addRow(QStringLiteral("Sync sets"), syncBox);
    connect(m_addSyncSet, &QPushButton::clicked, this, &ProfileDialog::addSyncSet);
    connect(m_removeSyncSet, &QPushButton::clicked, this, &ProfileDialog::removeSyncSet);
}

void ProfileDialog::buildOtherRows(QFormLayout *form)
{
    m_excludes = new QPlainTextEdit(this);
    m_excludes->setObjectName(QStringLiteral("excludesEdit"));
    m_excludes->setAccessibleName(QStringLiteral("Exclude patterns, one per line"));
    m_excludes->setTabChangesFocus(true);
    m_excludes->setMaximumHeight(90);
    form->addRow(QStringLiteral("E&xcludes\n(one per line)"), m_excludes);
    m_staleHours = new QSpinBox(this);
    m_staleHours->setObjectName(QStringLiteral("staleHoursSpin"));
    m_staleHours->setAccessibleName(QStringLiteral("Stale after hours"));
    m_staleHours->setRange(1, 24 * 365);
    m_staleHours->setSuffix(QStringLiteral(" h"));
    form->addRow(QStringLiteral("Sta&le after"), m_staleHours);
    auto *scriptRow = new QHBoxLayout;
    m_startScript = new QLineEdit(this);
    m_startScript->setObjectName(QStringLiteral("startScriptEdit"));
    m_startScript->setAccessibleName(QStringLiteral("Container start script"));
    m_startScript->setPlaceholderText(
        QStringLiteral("optional: start-moltbot.sh (the audit reads its BACKUP_DIR)"));
    auto *browseScript = new QPushButton(QStringLiteral("Browse…"), this);
    scriptRow->addWidget(m_startScript, 1);
    scriptRow->addWidget(browseScript);
    form->addRow(buddyLabel(QStringLiteral("Start s&cript"), m_startScript), scriptRow);
    connect(browseScript, &QPushButton::clicked, this, [this]() {
        const QString f = browseFile(QStringLiteral("Container start script"),
                                     QStringLiteral("Shell scripts (*.sh);;All files (*)"));
        if (!f.isEmpty())
            m_startScript->setText(displayPath(f));
    });
}

void ProfileDialog::buildButtons(QVBoxLayout *layout)
{
    auto *buttons = new QDialogButtonBox(this);
    m_save = buttons->addButton(QStringLiteral("Save and open"), QDialogButtonBox::AcceptRole);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    layout->addWidget(buttons);
    // Accepting would close the dialog before the worker has saved: wire the buttons ourselves.
    disconnect(buttons, nullptr, this, nullptr);
    connect(m_save, &QPushButton::clicked, this, &ProfileDialog::save);
    connect(m_cancel, &QPushButton::clicked, this, &ProfileDialog::reject);
}

// Every edit checks the profile again.
void ProfileDialog::connectFields()
{
    const auto storageChanged = [this]() {
        updateStorageFields();
        validate();
    };
    connect(m_storageType, &QComboBox::currentIndexChanged, this, storageChanged);
    connect(m_endpointGroup, &QButtonGroup::buttonToggled, this, storageChanged);
    for (QLineEdit *e : {m_path, m_wrangler, m_mountRoot, m_endpoint, m_accountId, m_region, m_startScript})
        connect(e, &QLineEdit::textChanged, this, &ProfileDialog::validate);
    for (QPlainTextEdit *e : {m_environments, m_excludes})
        connect(e, &QPlainTextEdit::textChanged, this, &ProfileDialog::validate);
    connect(m_includeLegacy, &QCheckBox::toggled, this, &ProfileDialog::validate);
    connect(m_staleHours, &QSpinBox::valueChanged, this, &ProfileDialog::validate);
    connect(m_syncSets, &QTableWidget::itemChanged, this, &ProfileDialog::validate);
    connect(m_syncScope, &QComboBox::currentIndexChanged, this, &ProfileDialog::showSyncScope);
    connect(m_environments, &QPlainTextEdit::textChanged, this, &ProfileDialog::refreshSyncScopes);
}

void ProfileDialog::addSyncSet()
{
    addSyncSetRow();
    m_syncSets->setCurrentCell(m_syncSets->rowCount() - 1, LocalColumn);
    m_syncSets->editItem(m_syncSets->item(m_syncSets->rowCount() - 1, LocalColumn));
    validate();
}

void ProfileDialog::removeSyncSet()
{
    const int row = m_syncSets->currentRow();
    if (row >= 0)
        m_syncSets->removeRow(row);
    validate();
}

void ProfileDialog::load(const Profile &p)
{
    m_base = p;
    m_environments->setPlainText(p.environments.join(QLatin1Char('\n')));
    m_includeLegacy->setChecked(p.includeLegacy);
    m_wrangler->setText(displayPath(p.wranglerPath));
    m_startScript->setText(displayPath(p.startScriptPath));
    m_storageType->setCurrentIndex(p.storage.type == StorageType::S3 ? S3Page : MountPage);
    m_mountRoot->setText(displayPath(p.storage.root));
    m_region->setText(p.storage.region);
    loadEndpoint(p);
    const auto rows = [this](const QList<SyncSet> &sets) {
        QList<QPair<QString, QString>> out;
        for (const SyncSet &s : sets)
            out.append({displayPath(s.local), s.prefix});
        return out;
    };
    m_scopeRows.clear();
    m_scopeRows.insert(QString(), rows(p.syncSets));
    for (auto it = p.syncSetsByEnvironment.cbegin(); it != p.syncSetsByEnvironment.cend(); ++it)
        m_scopeRows.insert(it.key(), rows(it.value()));
    m_currentScope.clear();
    refreshSyncScopes();
    m_syncScope->setCurrentIndex(0);
    setTableRows(m_scopeRows.value(QString()));
    m_excludes->setPlainText(p.exclude.join(QLatin1Char('\n')));
    m_staleHours->setValue(p.staleAfterHours);
    updateStorageFields();
}

// An R2 endpoint is shown as its account id, any other as the URL; none means CF_ACCOUNT_ID decides.
void ProfileDialog::loadEndpoint(const Profile &p)
{
    const QRegularExpressionMatch r2 = kR2Host.match(p.storage.endpoint.host());
    if (!p.storage.endpoint.isEmpty() && r2.hasMatch() &&
        p.storage.endpoint.scheme() == QLatin1String("https") && p.storage.endpoint.port() < 0) {
        m_useAccount->setChecked(true);
        m_accountId->setText(r2.captured(1));
    } else if (!p.storage.endpoint.isEmpty()) {
        m_useEndpoint->setChecked(true);
        m_endpoint->setText(p.storage.endpoint.toString());
    } else if (m_isNew || p.storage.type == StorageType::Mount) {
        m_useAccount->setChecked(true);
    } else {
        m_useDerived->setChecked(true);
    }
}

QList<QPair<QString, QString>> ProfileDialog::tableRows() const
{
    QList<QPair<QString, QString>> rows;
    for (int r = 0; r < m_syncSets->rowCount(); ++r) {
        const auto text = [this, r](int c) {
            const QTableWidgetItem *i = m_syncSets->item(r, c);
            return i ? i->text().trimmed() : QString();
        };
        if (text(LocalColumn).isEmpty() && text(PrefixColumn).isEmpty())
            continue; // a row just added and not filled in yet
        rows.append({text(LocalColumn), text(PrefixColumn)});
    }
    return rows;
}

void ProfileDialog::setTableRows(const QList<QPair<QString, QString>> &rows)
{
    const QSignalBlocker block(m_syncSets);
    m_syncSets->setRowCount(0);
    for (const auto &row : rows)
        addSyncSetRow(row.first, row.second);
}

void ProfileDialog::showSyncScope()
{
    const QString scope = m_syncScope->currentData().toString();
    if (scope == m_currentScope)
        return;
    m_scopeRows.insert(m_currentScope, tableRows());
    m_currentScope = scope;
    setTableRows(m_scopeRows.value(scope));
    m_syncSets->setToolTip(scope.isEmpty()
                               ? QString()
                               : QStringLiteral("Leave empty for %1 to use the default sources").arg(scope));
    validate();
}

void ProfileDialog::refreshSyncScopes()
{
    const QString current = m_syncScope->currentData().toString();
    const QSignalBlocker block(m_syncScope);
    while (m_syncScope->count() > 1)
        m_syncScope->removeItem(1);
    for (const QString &env : lines(m_environments)) {
        const bool own =
            !m_scopeRows.value(env).isEmpty() || (env == m_currentScope && m_syncSets->rowCount() > 0);
        m_syncScope->addItem(own ? QStringLiteral("%1 (own sources)").arg(env)
                                 : QStringLiteral("%1 (uses the default)").arg(env),
                             env);
    }
    const int keep = m_syncScope->findData(current);
    m_syncScope->setCurrentIndex(keep < 0 ? 0 : keep);
    if (keep < 0 && !current.isEmpty()) {
        // The environment shown was renamed or removed: show the default again.
        m_scopeRows.insert(m_currentScope, tableRows());
        m_currentScope.clear();
        setTableRows(m_scopeRows.value(QString()));
    }
}

void ProfileDialog::addSyncSetRow(const QString &local, const QString &prefix)
{
    const int row = m_syncSets->rowCount();
    m_syncSets->insertRow(row);
    m_syncSets->setItem(row, LocalColumn, new QTableWidgetItem(local));
    m_syncSets->setItem(row, PrefixColumn, new QTableWidgetItem(prefix));
}

void ProfileDialog::updateStorageFields()
{
    const bool s3 = m_storageType->currentIndex() == S3Page;
    m_storagePages->setCurrentIndex(s3 ? S3Page : MountPage);
    m_accountId->setEnabled(m_useAccount->isChecked());
    m_endpoint->setEnabled(m_useEndpoint->isChecked());
}

QString ProfileDialog::profilePath() const
{
    if (!m_isNew)
        return m_fixedPath;
    QString p = QDir::fromNativeSeparators(m_path->text().trimmed());
    if (p.isEmpty())
        return {};
    if (p == QLatin1String("~") || p.startsWith(QLatin1String("~/")))
        p = QDir::homePath() + p.mid(1);
    return QDir::cleanPath(QFileInfo(p).absoluteFilePath());
}

QString ProfileDialog::baseDirectory() const
{
    const QString p = profilePath();
    return p.isEmpty() ? QString() : QFileInfo(p).absolutePath();
}

// Paths are shown (and saved) relative to the profile's folder when inside it, with ~ for the home
// folder otherwise: the same forms the profile file uses, so a profile stays movable with its folder.
QString ProfileDialog::displayPath(const QString &absolute) const
{
    if (absolute.isEmpty())
        return {};
    const QString base = baseDirectory();
    if (!base.isEmpty() && absolute.startsWith(base + QLatin1Char('/')))
        return QDir(base).relativeFilePath(absolute);
    const QString home = QDir::homePath();
    if (absolute == home)
        return QStringLiteral("~");
    if (absolute.startsWith(home + QLatin1Char('/')))
        return QStringLiteral("~") + absolute.mid(home.size());
    return absolute;
}

Profile ProfileDialog::draftProfile() const
{
    Profile p = m_base;
    p.warnings.clear();
    p.path = profilePath();
    p.directory = p.path.isEmpty() ? QDir::currentPath() : QFileInfo(p.path).absolutePath();
    p.environments = lines(m_environments);
    p.includeLegacy = m_includeLegacy->isChecked();
    p.wranglerPath = p.resolvePath(m_wrangler->text().trimmed());
    p.startScriptPath = p.resolvePath(m_startScript->text().trimmed());
    p.storage = draftStorage();
    if (p.storage.type == StorageType::Mount)
        p.storage.root = p.resolvePath(m_mountRoot->text().trimmed());
    draftSyncSets(p);
    p.exclude = lines(m_excludes);
    p.staleAfterHours = m_staleHours->value();
    return p;
}

StorageConfig ProfileDialog::draftStorage() const
{
    StorageConfig s;
    if (m_storageType->currentIndex() != S3Page) {
        s.type = StorageType::Mount;
        return s;
    }
    s.type = StorageType::S3;
    s.region = m_region->text().trimmed();
    // A bad endpoint or account id is formProblems' to name; the draft leaves it out rather than
    // have the same problem reported twice.
    const QString endpoint = m_endpoint->text().trimmed();
    if (m_useEndpoint->isChecked() && endpointProblem(endpoint).isEmpty())
        s.endpoint = QUrl(endpoint, QUrl::StrictMode);
    else if (m_useAccount->isChecked())
        s.endpoint = Profile::r2Endpoint(m_accountId->text().trimmed());
    return s;
}

// The table's rows by scope; a set keeps its own excludes (not shown here) while its prefix stays.
void ProfileDialog::draftSyncSets(Profile &p) const
{
    QMap<QString, QList<QPair<QString, QString>>> scopes = m_scopeRows;
    scopes.insert(m_currentScope, tableRows());
    const auto sets = [&p](const QList<QPair<QString, QString>> &rows, const QList<SyncSet> &before) {
        QList<SyncSet> out;
        for (const auto &[local, prefix] : rows) {
            if (local.isEmpty() || prefix.isEmpty())
                continue; // formProblems names it
            SyncSet set{p.resolvePath(local), prefix};
            for (const SyncSet &old : before)
                if (old.prefix == prefix)
                    set.exclude = old.exclude;
            out.append(set);
        }
        return out;
    };
    p.syncSets = sets(scopes.value(QString()), m_base.syncSets);
    p.syncSetsByEnvironment.clear();
    for (auto it = scopes.cbegin(); it != scopes.cend(); ++it) {
        const QList<SyncSet> own = sets(it.value(), m_base.syncSetsFor(it.key()));
        if (!it.key().isEmpty() && !own.isEmpty() && p.environments.contains(it.key()))
            p.syncSetsByEnvironment.insert(it.key(), own);
    }
}

QList<ProfileProblem> ProfileDialog::formProblems() const
{
    QList<ProfileProblem> problems;
    const QString account = m_accountId->text().trimmed();
    const QString endpoint = m_endpoint->text().trimmed();
    const bool s3 = m_storageType->currentIndex() == S3Page;
    if (s3 && m_useAccount->isChecked() && !kAccountId.match(account).hasMatch())
        problems.append(
            {ProfileField::Endpoint,
             account.isEmpty()
                 ? QStringLiteral("Enter the Cloudflare account id (32 hexadecimal characters, on the R2 "
                                  "overview page).")
                 : QStringLiteral("The Cloudflare account id \"%1\" is not 32 hexadecimal characters.")
                       .arg(account)});
    if (s3 && m_useEndpoint->isChecked() && endpoint.isEmpty())
        problems.append({ProfileField::Endpoint,
                         QStringLiteral("Enter the endpoint URL, or choose the account id instead.")});
    else if (s3 && m_useEndpoint->isChecked())
        if (const QString why = endpointProblem(endpoint); !why.isEmpty())
            problems.append({ProfileField::Endpoint, why});
    for (int r = 0; r < m_syncSets->rowCount(); ++r) {
        const QTableWidgetItem *local = m_syncSets->item(r, LocalColumn);
        const QTableWidgetItem *prefix = m_syncSets->item(r, PrefixColumn);
        const bool hasLocal = local && !local->text().trimmed().isEmpty();
        const bool hasPrefix = prefix && !prefix->text().trimmed().isEmpty();
        if (hasLocal != hasPrefix)
            problems.append(
                {ProfileField::SyncSets,
                 QStringLiteral("Sync set %1 needs both a local folder and a bucket prefix.").arg(r + 1)});
    }
    return problems;
}

ProfileCheck ProfileDialog::check() const
{
    const QList<ProfileProblem> form = formProblems();
    ProfileCheck check = checkProfile(draftProfile());
    check.problems = form + check.problems;
    return check;
}

Result<Profile> ProfileDialog::currentProfile() const
{
    const ProfileCheck c = check();
    if (!c.ok())
        return makeError(ErrorKind::InvalidInput, c.problems.first().message);
    return c.profile;
}

void ProfileDialog::validate()
{
    const ProfileCheck c = check();
    m_error->setText(c.ok() ? QString() : c.problems.first().message);
    m_error->setVisible(!c.ok());
    markProblems(c.problems);
    m_save->setEnabled(c.ok() && !m_busy);
}

QWidget *ProfileDialog::fieldWidget(ProfileField field) const
{
    switch (field) {
    case ProfileField::File:
        return m_path;
    case ProfileField::Environments:
        return m_environments;
    case ProfileField::IncludeLegacy:
        return m_includeLegacy;
    case ProfileField::Wrangler:
        return m_wrangler;
    case ProfileField::StartScript:
        return m_startScript;
    case ProfileField::Storage:
        return m_storageType;
    case ProfileField::Endpoint:
        return m_useEndpoint->isChecked() ? m_endpoint : m_accountId;
    case ProfileField::Region:
        return m_region;
    case ProfileField::MountRoot:
        return m_mountRoot;
    case ProfileField::SyncSets:
        return m_syncSets;
    case ProfileField::Exclude:
        return m_excludes;
    case ProfileField::StaleAfterHours:
        return m_staleHours;
    default:
        return nullptr; // not edited here: the message says it
    }
}

// Each field with a problem gets a red frame, and its message as the "profileProblem" property and
// the accessible description (what a screen reader says about the field).
void ProfileDialog::markProblems(const QList<ProfileProblem> &problems)
{
    QHash<QWidget *, QString> marked;
    for (const ProfileProblem &p : problems)
        if (QWidget *w = fieldWidget(p.field); w && !marked.contains(w))
            marked.insert(w, p.message);
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_path, m_environments, m_includeLegacy, m_wrangler, m_startScript, m_storageType, m_endpoint,
             m_accountId, m_region, m_mountRoot, m_syncSets, m_excludes, m_staleHours}) {
        const QString message = marked.value(w);
        if (w->property(kProblemProperty).toString() == message)
            continue;
        w->setProperty(kProblemProperty, message);
        w->setAccessibleDescription(message);
        w->setStyleSheet(message.isEmpty() ? QString() : QStringLiteral("border: 1px solid #c62828;"));
    }
}

void ProfileDialog::save()
{
    const Result<Profile> p = currentProfile();
    if (!p || m_busy) {
        validate();
        return;
    }
    m_busy = true;
    m_save->setEnabled(false);
    const QString path = profilePath();
    const bool isNew = m_isNew;
    const Profile profile = p.value();
    qCInfo(lcUi) << "saving profile" << path;
    const auto saving = QtConcurrent::run(&m_io, [profile, path, isNew]() -> Status {
        if (isNew && QFileInfo::exists(path))
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("%1 already exists: choose another file, or open it and use Edit "
                                            "profile.")
                                 .arg(QDir::toNativeSeparators(path)));
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return makeError(ErrorKind::Local, QStringLiteral("cannot create the folder of %1").arg(path));
        return profile.save(path);
    });
    deliverQueued(saving, this, [this, path](const Status &s) {
        m_busy = false;
        if (!s) {
            m_error->setText(s.error().message);
            m_error->setVisible(true);
            m_save->setEnabled(true);
            Q_EMIT saveFailed(s.error().message);
            return;
        }
        Q_EMIT saved(path);
        accept();
    });
}

QString ProfileDialog::browseFile(const QString &title, const QString &filter)
{
    const QString base = baseDirectory();
    return QFileDialog::getOpenFileName(this, title, base.isEmpty() ? QDir::homePath() : base, filter);
}

void ProfileDialog::chooseWrangler()
{
    const QString f = browseFile(QStringLiteral("Import environments from wrangler.jsonc"),
                                 QStringLiteral("Wrangler configuration (*.jsonc *.json);;All files (*)"));
    if (!f.isEmpty())
        importWrangler(f);
}

void ProfileDialog::importWrangler(const QString &wranglerPath)
{
    const quint64 gen = ++m_importGeneration;
    const QString path = QFileInfo(wranglerPath).absoluteFilePath();
    m_wranglerStatus->setStyleSheet(QString());
    m_wranglerStatus->setText(QStringLiteral("Reading %1…").arg(QDir::toNativeSeparators(path)));
    m_wranglerStatus->setVisible(true);
    m_importWrangler->setEnabled(false);
    const auto reading = QtConcurrent::run(&m_io, [path]() { return WranglerConfig::load(path); });
    deliverQueued(reading, this, [this, gen, path](const Result<WranglerConfig> &r) {
        if (gen != m_importGeneration)
            return; // a newer import was started
        m_importWrangler->setEnabled(true);
        QString error;
        QStringList names;
        if (!r)
            error = r.error().message;
        else if ((names = r.value().environmentNames()).isEmpty())
            error = QStringLiteral("%1 has no env.<name>.vars.ENVIRONMENT: nothing to import")
                        .arg(QDir::toNativeSeparators(path));
        if (!error.isEmpty()) {
            // The parser's message carries the file and line ("…wrangler.jsonc: line 7, column 3: …").
            m_wranglerStatus->setStyleSheet(QStringLiteral("color: #c62828;"));
            m_wranglerStatus->setText(QStringLiteral("Not imported: ") + error);
            Q_EMIT importFinished(error);
            return;
        }
        QStringList found;
        for (const QString &n : std::as_const(names)) {
            int line = 0;
            for (const WranglerEnvironment &e : r.value().environments)
                if (e.environmentVar == n && line == 0)
                    line = e.varsLine;
            found << (line > 0 ? QStringLiteral("%1 (line %2)").arg(n).arg(line) : n);
        }
        m_environments->setPlainText(names.join(QLatin1Char('\n')));
        m_wrangler->setText(displayPath(path));
        m_wranglerStatus->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_wranglerStatus->setText(QStringLiteral("Imported %1 from %2.")
                                      .arg(found.join(QStringLiteral(", ")), QFileInfo(path).fileName()));
        validate();
        Q_EMIT importFinished(QString());
    });
}

} // namespace moltdesk
