// The profile dialog on the real MainWindow, under the offscreen platform: create, edit, import a
// wrangler.jsonc, and the inline validation that uses the same parser as moltctl.
#include "DemoWorkspace.h"
#include "EnvironmentTableModel.h"
#include "GuiFixture.h"
#include "MainWindow.h"
#include "Profile.h"
#include "ProfileDialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace moltdesk;
using guitest::readFile;
using guitest::writeFile;

namespace {

// The fields the dialog marks as having a problem (their object names, sorted).
QStringList markedFields(QWidget *dialog)
{
    QStringList names;
    const auto widgets = dialog->findChildren<QWidget *>();
    for (const QWidget *w : widgets)
        if (!w->property("profileProblem").toString().isEmpty())
            names << w->objectName();
    names.sort();
    return names;
}

template <typename T> T *child(QObject *parent, const char *name)
{
    T *w = parent->findChild<T *>(QLatin1String(name));
    if (!w)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return w;
}

} // namespace

class TstGuiProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void createProfileThroughDialog();
    void invalidFieldsShowInlineErrors();
    void s3EndpointFromAccountId();
    void editOpenProfile();
    void importWranglerFillsEnvironments();
    void malformedWranglerShowsLine();
    void importWranglerIntoOpenProfile();
    void editKeepsWhatTheDialogDoesNotShow();

private:
    ProfileDialog *newProfileDialog();
    bool openDemo();

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    QString m_demoProfile;
    std::unique_ptr<MainWindow> m_window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void TstGuiProfile::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Recent profiles go to QSettings: keep them away from the user's.
    QCoreApplication::setOrganizationName(QStringLiteral("moltdesk-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui_profile"));
}

void TstGuiProfile::init()
{
    QSettings().remove(QStringLiteral("recentProfiles"));
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY(profile.ok());
    m_demoProfile = profile.value();
    m_window = guitest::makeWindow(*m_tmp);
    m_testers.emplace_back(std::make_unique<QAbstractItemModelTester>(
        m_window->environmentModel(), QAbstractItemModelTester::FailureReportingMode::QtTest));
    m_window->show();
}

void TstGuiProfile::cleanup()
{
    guitest::closeDialogs<ProfileDialog>(m_window);
    m_testers.clear();
    m_window.reset();
    m_tmp.reset();
}

ProfileDialog *TstGuiProfile::newProfileDialog()
{
    auto *action = m_window->findChild<QAction *>(QStringLiteral("actionNewProfile"));
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    auto *dlg = m_window->findChild<ProfileDialog *>(QStringLiteral("profileDialog"));
    if (dlg)
        m_testers.emplace_back(std::make_unique<QAbstractItemModelTester>(
            dlg->findChild<QTableWidget *>(QStringLiteral("syncSetsTable"))->model(),
            QAbstractItemModelTester::FailureReportingMode::QtTest));
    return dlg;
}

bool TstGuiProfile::openDemo()
{
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    m_window->openProfile(m_demoProfile);
    // The continuation may run before wait() is reached: count, do not wait for a new emission.
    return QTest::qWaitFor([&opened]() { return opened.count() >= 1; }, 10000);
}

void TstGuiProfile::createProfileThroughDialog()
{
    ProfileDialog *dlg = newProfileDialog();
    QVERIFY(dlg);
    QVERIFY(dlg->isNewProfile());
    auto *path = child<QLineEdit>(dlg, "profilePathEdit");
    auto *envs = child<QPlainTextEdit>(dlg, "environmentsEdit");
    auto *legacy = child<QCheckBox>(dlg, "includeLegacyCheck");
    auto *storage = child<QComboBox>(dlg, "storageTypeCombo");
    auto *root = child<QLineEdit>(dlg, "mountRootEdit");
    auto *table = child<QTableWidget>(dlg, "syncSetsTable");
    auto *add = child<QPushButton>(dlg, "addSyncSetButton");
    auto *remove = child<QPushButton>(dlg, "removeSyncSetButton");
    auto *excludes = child<QPlainTextEdit>(dlg, "excludesEdit");
    auto *stale = child<QSpinBox>(dlg, "staleHoursSpin");
    auto *script = child<QLineEdit>(dlg, "startScriptEdit");
    auto *error = child<QLabel>(dlg, "profileError");
    auto *save = child<QPushButton>(dlg, "saveButton");
    QVERIFY(path && envs && legacy && storage && root && table && add && remove && excludes && stale &&
            script && error && save);
    // Defaults of a new profile: the seed's two sync sets; nothing saved without a place and names.
    QCOMPARE(table->rowCount(), 2);
    QVERIFY(!save->isEnabled());
    QVERIFY(error->isVisible());

    // The new profile lives next to the demo's data and source folders, in its own folder.
    const QString file = m_tmp->filePath(QStringLiteral("ops/moltdesk.json"));
    path->setText(file);
    envs->setPlainText(QStringLiteral("development\nproduction\n"));
    legacy->setChecked(true);
    storage->setCurrentIndex(1); // local mount
    root->setText(m_demo + QStringLiteral("/data"));
    // Sync sets: drop both defaults, add the demo container's two folders.
    while (table->rowCount() > 0) {
        table->setCurrentCell(0, 0);
        QTest::mouseClick(remove, Qt::LeftButton);
    }
    QCOMPARE(table->rowCount(), 0);
    QVERIFY2(error->text().contains(QStringLiteral("sync set")), qPrintable(error->text()));
    QTest::mouseClick(add, Qt::LeftButton);
    table->item(0, 0)->setText(m_demo + QStringLiteral("/container/root/.clawdbot"));
    QVERIFY2(error->text().contains(QStringLiteral("Sync set 1 needs both")), qPrintable(error->text()));
    QVERIFY(!save->isEnabled());
    table->item(0, 1)->setText(QStringLiteral("clawdbot/"));
    QTest::mouseClick(add, Qt::LeftButton);
    table->item(1, 0)->setText(m_demo + QStringLiteral("/container/root/clawd/skills"));
    table->item(1, 1)->setText(QStringLiteral("skills"));
    excludes->setPlainText(QStringLiteral("*.lock\n\n*.log\n"));
    stale->setValue(12);
    script->setText(QStringLiteral("start-moltbot.sh"));
    QVERIFY2(save->isEnabled(), qPrintable(error->text()));
    QVERIFY(!error->isVisible());

    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 15000);
    QCOMPARE(opened.at(0).at(0).toString(), file);

    // On disk, read back through the core's own loader.
    const Result<Profile> saved = Profile::load(file);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    const Profile &p = saved.value();
    QCOMPARE(p.environments, (QStringList{QStringLiteral("development"), QStringLiteral("production")}));
    QVERIFY(p.includeLegacy);
    QCOMPARE(p.storage.type, StorageType::Mount);
    QCOMPARE(p.storage.root, m_demo + QStringLiteral("/data"));
    QCOMPARE(p.syncSets.size(), 2);
    QCOMPARE(p.syncSets.at(0).local, m_demo + QStringLiteral("/container/root/.clawdbot"));
    QCOMPARE(p.syncSets.at(1).prefix, QStringLiteral("skills/"));
    QCOMPARE(p.exclude, (QStringList{QStringLiteral("*.lock"), QStringLiteral("*.log")}));
    QCOMPARE(p.staleAfterHours, 12);
    QCOMPARE(p.startScriptPath, m_tmp->filePath(QStringLiteral("ops/start-moltbot.sh")));
    QVERIFY(p.warnings.isEmpty());
    // Nothing secret-looking in the file: keys live in the keychain only.
    const QByteArray text = readFile(file).toLower();
    QVERIFY(!text.contains("secret") && !text.contains("access_key") && !text.contains("accesskey"));

    // The window now shows the new profile, and remembers it.
    // The path is in the tooltip and the window's file path; the title is "name — Moltdesk".
    QVERIFY(m_window->toolTip().contains(QDir::toNativeSeparators(file)));
    QCOMPARE(QFileInfo(m_window->windowFilePath()).absoluteFilePath(), QFileInfo(file).absoluteFilePath());
    QCOMPARE(m_window->session()->profilePath, file);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() > 0, 20000);
    QCOMPARE(m_window->environmentModel()->rowCount(), 3);
    QCOMPARE(m_window->environmentModel()->names(1).bucket, QStringLiteral("moltbot-data-production"));
    QCOMPARE(QSettings().value(QStringLiteral("recentProfiles")).toStringList().value(0), file);
    auto *recent = m_window->findChild<QMenu *>(QStringLiteral("recentMenu"));
    QVERIFY(recent && !recent->actions().isEmpty());
    QCOMPARE(recent->actions().first()->text(), QDir::toNativeSeparators(file));
}

void TstGuiProfile::invalidFieldsShowInlineErrors()
{
    ProfileDialog *dlg = newProfileDialog();
    QVERIFY(dlg);
    auto *path = child<QLineEdit>(dlg, "profilePathEdit");
    auto *envs = child<QPlainTextEdit>(dlg, "environmentsEdit");
    auto *storage = child<QComboBox>(dlg, "storageTypeCombo");
    auto *root = child<QLineEdit>(dlg, "mountRootEdit");
    auto *table = child<QTableWidget>(dlg, "syncSetsTable");
    auto *error = child<QLabel>(dlg, "profileError");
    auto *save = child<QPushButton>(dlg, "saveButton");
    const QString file = m_tmp->filePath(QStringLiteral("bad/moltdesk.json"));
    path->setText(file);
    storage->setCurrentIndex(1);
    root->setText(QStringLiteral("data"));

    const auto expectError = [&](const QString &fragment, const QString &field) {
        QVERIFY2(error->isVisible() && error->text().contains(fragment),
                 qPrintable(QStringLiteral("expected \"%1\", shown: \"%2\"").arg(fragment, error->text())));
        // The field the problem is about is marked, and only that one.
        QCOMPARE(markedFields(dlg), QStringList{field});
        QVERIFY(!save->isEnabled());
        // The dialog and moltctl agree: the core's parser refuses the same profile.
        QVERIFY(!dlg->currentProfile().ok());
    };
    envs->setPlainText(QString());
    expectError(QStringLiteral("at least one environment"), QStringLiteral("environmentsEdit"));
    // Names the bucket rule refuses, with the core's own words.
    envs->setPlainText(QStringLiteral("development\nProd_1"));
    expectError(QStringLiteral("lowercase letters a-z"), QStringLiteral("environmentsEdit"));
    envs->setPlainText(QStringLiteral("development\ndevelopment"));
    expectError(QStringLiteral("listed twice"), QStringLiteral("environmentsEdit"));
    envs->setPlainText(QStringLiteral("development"));
    QVERIFY2(save->isEnabled(), qPrintable(error->text()));
    // Overlapping prefixes would let one sync delete the other's objects.
    table->item(1, 1)->setText(QStringLiteral("clawdbot/skills/"));
    expectError(QStringLiteral("overlaps"), QStringLiteral("syncSetsTable"));
    table->item(1, 1)->setText(QStringLiteral("../skills/"));
    expectError(QStringLiteral("without \"..\""), QStringLiteral("syncSetsTable"));
    table->item(1, 1)->setText(QStringLiteral("skills/"));
    root->clear();
    expectError(QStringLiteral("storage.root"), QStringLiteral("mountRootEdit"));
    root->setText(QStringLiteral("data"));
    QVERIFY2(save->isEnabled(), qPrintable(error->text()));
    QVERIFY(!error->isVisible());
    QCOMPARE(markedFields(dlg), QStringList());
    // No popup anywhere: the only top-level windows are the main window and this dialog.
    for (QWidget *w : QApplication::topLevelWidgets())
        QVERIFY2(!w->isVisible() || w == m_window.get() || w == dlg, qPrintable(w->objectName()));
    QVERIFY(!QFileInfo::exists(file)); // validation wrote nothing
}

void TstGuiProfile::s3EndpointFromAccountId()
{
    ProfileDialog *dlg = newProfileDialog();
    QVERIFY(dlg);
    child<QLineEdit>(dlg, "profilePathEdit")->setText(m_tmp->filePath(QStringLiteral("r2/moltdesk.json")));
    child<QPlainTextEdit>(dlg, "environmentsEdit")->setPlainText(QStringLiteral("staging\nproduction"));
    auto *storage = child<QComboBox>(dlg, "storageTypeCombo");
    auto *account = child<QLineEdit>(dlg, "accountIdEdit");
    auto *endpoint = child<QLineEdit>(dlg, "endpointEdit");
    auto *useAccount = child<QRadioButton>(dlg, "useAccountRadio");
    auto *useEndpoint = child<QRadioButton>(dlg, "useEndpointRadio");
    auto *useDerived = child<QRadioButton>(dlg, "useDerivedRadio");
    auto *error = child<QLabel>(dlg, "profileError");
    auto *save = child<QPushButton>(dlg, "saveButton");
    QCOMPARE(storage->currentIndex(), 0); // R2 by default
    QVERIFY(useAccount->isChecked());
    account->setText(QStringLiteral("not-an-account"));
    QVERIFY2(error->text().contains(QStringLiteral("32 hexadecimal")), qPrintable(error->text()));
    QCOMPARE(markedFields(dlg), QStringList{QStringLiteral("accountIdEdit")});
    QVERIFY(!save->isEnabled());
    const QString id = QStringLiteral("0123456789abcdef0123456789abcdef");
    account->setText(id);
    QVERIFY2(save->isEnabled(), qPrintable(error->text()));
    Result<Profile> p = dlg->currentProfile();
    QVERIFY(p.ok());
    QCOMPARE(p.value().storage.type, StorageType::S3);
    QCOMPARE(p.value().storage.endpoint, Profile::r2Endpoint(id));
    // Or an endpoint: checked by the core's URL rule.
    useEndpoint->setChecked(true);
    QVERIFY(!save->isEnabled());
    endpoint->setText(QStringLiteral("ftp://example.com/path"));
    QVERIFY2(error->text().contains(QStringLiteral("storage.endpoint")), qPrintable(error->text()));
    QCOMPARE(markedFields(dlg), QStringList{QStringLiteral("endpointEdit")});
    endpoint->setText(QStringLiteral("https://s3.example.com"));
    QVERIFY2(save->isEnabled(), qPrintable(error->text()));
    QCOMPARE(dlg->currentProfile().value().storage.endpoint, QUrl(QStringLiteral("https://s3.example.com")));
    // Or from CF_ACCOUNT_ID: no endpoint in the profile at all.
    useDerived->setChecked(true);
    QVERIFY(save->isEnabled());
    QVERIFY(dlg->currentProfile().value().storage.endpoint.isEmpty());
}

void TstGuiProfile::editOpenProfile()
{
    auto *edit = m_window->findChild<QAction *>(QStringLiteral("actionEditProfile"));
    QVERIFY(edit);
    QVERIFY(!edit->isEnabled()); // nothing open yet
    QCOMPARE(edit->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
    QVERIFY(openDemo());
    QVERIFY(edit->isEnabled());
    edit->trigger();
    auto *dlg = m_window->findChild<ProfileDialog *>(QStringLiteral("profileDialog"));
    QVERIFY(dlg);
    QVERIFY(!dlg->isNewProfile());
    // Filled from the open profile, with paths as the file has them.
    QCOMPARE(child<QLineEdit>(dlg, "profilePathEdit")->text(), QDir::toNativeSeparators(m_demoProfile));
    QVERIFY(child<QLineEdit>(dlg, "profilePathEdit")->isReadOnly());
    auto *envs = child<QPlainTextEdit>(dlg, "environmentsEdit");
    QCOMPARE(envs->toPlainText(), QStringLiteral("development\nproduction"));
    QCOMPARE(child<QComboBox>(dlg, "storageTypeCombo")->currentIndex(), 1);
    QCOMPARE(child<QLineEdit>(dlg, "mountRootEdit")->text(), QStringLiteral("data"));
    QCOMPARE(child<QLineEdit>(dlg, "wranglerEdit")->text(), QStringLiteral("wrangler.jsonc"));
    auto *table = child<QTableWidget>(dlg, "syncSetsTable");
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("container/root/.clawdbot"));
    QCOMPARE(child<QSpinBox>(dlg, "staleHoursSpin")->value(), 24);

    envs->setPlainText(QStringLiteral("development\nstaging\nproduction"));
    child<QSpinBox>(dlg, "staleHoursSpin")->setValue(6);
    QSignalSpy opened(m_window.get(), &MainWindow::profileOpened);
    QTest::mouseClick(child<QPushButton>(dlg, "saveButton"), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 15000);
    const Result<Profile> p = Profile::load(m_demoProfile);
    QVERIFY(p.ok());
    QCOMPARE(p.value().environments.size(), 3);
    QCOMPARE(p.value().staleAfterHours, 6);
    QCOMPARE(p.value().storage.root, m_demo + QStringLiteral("/data"));
    QCOMPARE(p.value().syncSets.at(0).local, m_demo + QStringLiteral("/container/root/.clawdbot"));
    QCOMPARE(m_window->environmentModel()->rowCount(), 4);
    QCOMPARE(m_window->environmentModel()->names(1).environment, QStringLiteral("staging"));
}

void TstGuiProfile::importWranglerFillsEnvironments()
{
    const QString wrangler = m_tmp->filePath(QStringLiteral("deploy/wrangler.jsonc"));
    QVERIFY(writeFile(wrangler, R"({
  // two environments, in file order
  "name": "moltbot",
  "env": {
    "staging": {
      "vars": { "ENVIRONMENT": "staging" },
    },
    "prod": {
      "vars": { "ENVIRONMENT": "production" }
    },
    "scratch": { "name": "no-vars" }
  }
}
)"));
    ProfileDialog *dlg = newProfileDialog();
    QVERIFY(dlg);
    child<QLineEdit>(dlg, "profilePathEdit")
        ->setText(m_tmp->filePath(QStringLiteral("deploy/moltdesk.json")));
    auto *envs = child<QPlainTextEdit>(dlg, "environmentsEdit");
    envs->setPlainText(QStringLiteral("old"));
    QSignalSpy done(dlg, &ProfileDialog::importFinished);
    dlg->importWrangler(wrangler);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
    QCOMPARE(done.at(0).at(0).toString(), QString());
    QCOMPARE(envs->toPlainText(), QStringLiteral("staging\nproduction"));
    // Next to the profile, so saved relative to it.
    QCOMPARE(child<QLineEdit>(dlg, "wranglerEdit")->text(), QStringLiteral("wrangler.jsonc"));
    auto *status = child<QLabel>(dlg, "wranglerStatus");
    QVERIFY(status->isVisible());
    QVERIFY2(status->text().contains(QStringLiteral("staging (line 6)")) &&
                 status->text().contains(QStringLiteral("production (line 9)")),
             qPrintable(status->text()));
    child<QLineEdit>(dlg, "accountIdEdit")->setText(QStringLiteral("0123456789abcdef0123456789abcdef"));
    const Result<Profile> p = dlg->currentProfile();
    QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
    QCOMPARE(p.value().wranglerPath, wrangler);
    QCOMPARE(p.value().environments, (QStringList{QStringLiteral("staging"), QStringLiteral("production")}));
}

void TstGuiProfile::malformedWranglerShowsLine()
{
    const QString wrangler = m_tmp->filePath(QStringLiteral("broken/wrangler.jsonc"));
    QVERIFY(writeFile(wrangler, "{\n"
                                "  \"name\": \"moltbot\",\n"
                                "  \"env\": {\n"
                                "    \"staging\": { \"vars\": { \"ENVIRONMENT\": \"staging\" } } \"oops\"\n"
                                "  }\n"
                                "}\n"));
    ProfileDialog *dlg = newProfileDialog();
    QVERIFY(dlg);
    auto *envs = child<QPlainTextEdit>(dlg, "environmentsEdit");
    envs->setPlainText(QStringLiteral("development"));
    auto *wr = child<QLineEdit>(dlg, "wranglerEdit");
    QSignalSpy done(dlg, &ProfileDialog::importFinished);
    dlg->importWrangler(wrangler);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
    const QString message = done.at(0).at(0).toString();
    QVERIFY(!message.isEmpty());
    auto *status = child<QLabel>(dlg, "wranglerStatus");
    QVERIFY(status->isVisible());
    QVERIFY2(status->text().contains(QStringLiteral("line 4")), qPrintable(status->text()));
    QVERIFY(status->text().contains(message));
    // Nothing was taken from the broken file.
    QCOMPARE(envs->toPlainText(), QStringLiteral("development"));
    QVERIFY(wr->text().isEmpty());

    // A file without any ENVIRONMENT says so, too.
    const QString empty = m_tmp->filePath(QStringLiteral("broken/empty.jsonc"));
    QVERIFY(writeFile(empty, "{ \"name\": \"x\" }\n"));
    done.clear();
    dlg->importWrangler(empty);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
    QVERIFY2(status->text().contains(QStringLiteral("nothing to import")), qPrintable(status->text()));
    QCOMPARE(envs->toPlainText(), QStringLiteral("development"));
}

void TstGuiProfile::importWranglerIntoOpenProfile()
{
    // File > Import wrangler.jsonc… imports into the open profile (edit dialog) when there is one.
    auto *import = m_window->findChild<QAction *>(QStringLiteral("actionImportWrangler"));
    QVERIFY(import && import->isEnabled());
    QVERIFY(openDemo());
    ProfileDialog *dlg = m_window->showProfileDialog(false);
    QVERIFY(dlg && !dlg->isNewProfile());
    const QString wrangler = m_demo + QStringLiteral("/wrangler2.jsonc");
    QVERIFY(writeFile(wrangler, R"({ "env": { "qa": { "vars": { "ENVIRONMENT": "qa" } } } })"));
    QSignalSpy done(dlg, &ProfileDialog::importFinished);
    dlg->importWrangler(wrangler);
    QVERIFY2(QTest::qWaitFor([&]() { return done.count() >= 1; }, 10000),
             qPrintable(child<QLabel>(dlg, "wranglerStatus")->text()));
    QCOMPARE(child<QPlainTextEdit>(dlg, "environmentsEdit")->toPlainText(), QStringLiteral("qa"));
    QCOMPARE(child<QLineEdit>(dlg, "wranglerEdit")->text(), QStringLiteral("wrangler2.jsonc"));
    QVERIFY(child<QPushButton>(dlg, "saveButton")->isEnabled());
}

// The dialog edits the profile's value: what it has no field for (workers, bucket names, a CA bundle,
// a sync set's own excludes) is saved as it was, not dropped.
void TstGuiProfile::editKeepsWhatTheDialogDoesNotShow()
{
    const QString file = m_tmp->filePath(QStringLiteral("kept/moltdesk.json"));
    // Not a raw string: moc reads "/**" in one as the start of a comment.
    QVERIFY(writeFile(file,
                      "{ \"environments\": [\"development\", \"production\"],\n"
                      "  \"storage\": { \"type\": \"mount\", \"root\": \"data\" },\n"
                      "  \"caBundle\": \"ca.pem\",\n"
                      "  \"bucketNames\": { \"production\": \"acme-prod-bucket\" },\n"
                      "  \"workers\": { \"production\": \"https://moltbot.acme.example\" },\n"
                      "  \"workersDevSubdomain\": \"acme\",\n"
                      "  \"syncSets\": [ { \"local\": \"root/clawd\", \"prefix\": \"workspace/\", "
                      "\"exclude\": [\"skills/**\"] },\n"
                      "                { \"local\": \"root/clawd/skills\", \"prefix\": \"skills/\" } ] }"));
    const Result<Profile> before = Profile::load(file);
    QVERIFY2(before.ok(), before.ok() ? "" : qPrintable(before.error().toString()));
    auto *dlg = new ProfileDialog(file, &before.value(), m_window.get());
    child<QSpinBox>(dlg, "staleHoursSpin")->setValue(6);
    QVERIFY2(child<QPushButton>(dlg, "saveButton")->isEnabled(),
             qPrintable(child<QLabel>(dlg, "profileError")->text()));
    QSignalSpy saved(dlg, &ProfileDialog::saved);
    dlg->save();
    QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 15000);
    const Result<Profile> after = Profile::load(file);
    QVERIFY2(after.ok(), after.ok() ? "" : qPrintable(after.error().toString()));
    QCOMPARE(after.value().staleAfterHours, 6);
    QCOMPARE(after.value().caBundlePath, m_tmp->filePath(QStringLiteral("kept/ca.pem")));
    QCOMPARE(after.value().bucketNames, before.value().bucketNames);
    QCOMPARE(after.value().workers, before.value().workers);
    QCOMPARE(after.value().workersDevSubdomain, QStringLiteral("acme"));
    QCOMPARE(after.value().syncSets.at(0).exclude, QStringList{QStringLiteral("skills/**")});
    QVERIFY(after.value().syncSets.at(1).exclude.isEmpty());
}

QTEST_MAIN(TstGuiProfile)
#include "tst_gui_profile.moc"
