// Desktop conventions in the real MainWindow on the demo workspace (offscreen): "name — Moltdesk" with
// the path in the tooltip, a Help menu (documentation, keyboard shortcuts, About Qt), dialog titles in
// title case that say what they do, no literal ampersands in any label, button or menu entry, empty
// states that say what to do (an empty activity log, mount mode's credential matrix) and the legacy
// row's "Stamp" link, which stamps it.
#include "ActionDialog.h"
#include "BrowserPanel.h"
#include "CompareDialog.h"
#include "DemoWorkspace.h"
#include "FileDialog.h"
#include "GuiFixture.h"
#include "IdentityMarker.h"
#include "MainWindow.h"
#include "ProfileDialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>

using namespace moltdesk;

namespace {
// What a person sees of a label's text: entities and mnemonics are not literal ampersands; "&&" and a
// stray "&" are.
QString literalAmpersand(const QString &text, bool rich, bool mnemonic)
{
    QString t = text;
    if (rich) {
        t.remove(QRegularExpression(QStringLiteral("&(#[0-9]+|[a-zA-Z]+);")));
        return t.contains(QLatin1Char('&')) ? text : QString();
    }
    if (t.contains(QStringLiteral("&&")))
        return text;
    if (!mnemonic && t.contains(QLatin1Char('&')))
        return text;
    return {};
}

QStringList ampersandsIn(QWidget *root)
{
    QStringList out;
    for (QLabel *l : root->findChildren<QLabel *>()) {
        const bool rich = l->textFormat() == Qt::RichText ||
                          (l->textFormat() == Qt::AutoText && Qt::mightBeRichText(l->text()));
        if (const QString bad = literalAmpersand(l->text(), rich, l->buddy() != nullptr); !bad.isEmpty())
            out << QStringLiteral("label %1: %2").arg(l->objectName(), bad);
    }
    for (QAbstractButton *b : root->findChildren<QAbstractButton *>())
        if (const QString bad = literalAmpersand(b->text(), false, true); !bad.isEmpty())
            out << QStringLiteral("button %1: %2").arg(b->objectName(), bad);
    for (QAction *a : root->findChildren<QAction *>())
        if (const QString bad = literalAmpersand(a->text(), false, true); !bad.isEmpty())
            out << QStringLiteral("action %1: %2").arg(a->objectName(), bad);
    for (QGroupBox *g : root->findChildren<QGroupBox *>())
        if (const QString bad = literalAmpersand(g->title(), false, true); !bad.isEmpty())
            out << QStringLiteral("group %1: %2").arg(g->objectName(), bad);
    return out;
}

// Title case: every word of four letters or more that is an ordinary word starts with a capital;
// names (environments, buckets, keys, files) are left as they are spelled.
QString notTitleCase(const QString &title, const QStringList &names)
{
    static const QRegularExpression word(QStringLiteral("^[a-z]{4,}$"));
    for (const QString &w : title.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        if (word.match(w).hasMatch() && !names.contains(w))
            return QStringLiteral("“%1” in “%2”").arg(w, title);
    return {};
}
} // namespace

class TstGuiDesktop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void windowTitleNamesTheProfile();
    void helpMenu();
    void dialogTitlesAndAmpersands();
    void emptyLogSaysWhatToDo();
    void mountModeMatrixSaysWhy();
    void legacyRowStampLink();

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_demo;
    QString m_profile;
    std::unique_ptr<MainWindow> m_window;
};

void TstGuiDesktop::init()
{
    m_tmp = std::make_unique<QTemporaryDir>();
    m_demo = m_tmp->filePath(QStringLiteral("demo"));
    const Result<QString> profile = DemoWorkspace::create(m_demo);
    QVERIFY(profile.ok());
    m_profile = QFileInfo(profile.value()).absoluteFilePath();
    m_window = guitest::makeWindow(*m_tmp);
    FileDialog::presetAnswer(m_tmp->filePath(QStringLiteral("restored"))); // restores go there
    m_window->show();
    QSignalSpy audited(m_window.get(), &MainWindow::auditFinished);
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    m_window->openProfile(m_profile);
    QTRY_VERIFY_WITH_TIMEOUT(refreshed.count() >= 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(audited.count() >= 1, 30000);
}

void TstGuiDesktop::cleanup()
{
    guitest::closeWindow(m_window);
    m_tmp.reset();
    FileDialog::presetAnswer(QString());
}

void TstGuiDesktop::windowTitleNamesTheProfile()
{
    // The demo's wrangler.jsonc names the worker "paramita-cloud".
    QCOMPARE(m_window->windowTitle(), QStringLiteral("paramita-cloud — Moltdesk"));
    QVERIFY(m_window->toolTip().contains(QDir::toNativeSeparators(m_profile)));
    QCOMPARE(m_window->windowFilePath(), m_profile);
}

void TstGuiDesktop::helpMenu()
{
    QMenu *help = nullptr;
    for (QAction *m : m_window->menuBar()->actions())
        if (m->text() == QLatin1String("&Help"))
            help = m->menu();
    QVERIFY(help);
    QStringList names;
    for (QAction *a : help->actions())
        names << a->objectName();
    for (const char *n : {"actionDocumentation", "actionShortcuts", "actionAbout", "actionAboutQt"})
        QVERIFY2(names.contains(QLatin1String(n)), n);
    QDialog *shortcuts = m_window->showShortcuts();
    QVERIFY(shortcuts && shortcuts->isVisible());
    const QString text = shortcuts->findChild<QTextBrowser *>(QStringLiteral("shortcutsText"))->toPlainText();
    for (const QString &k :
         {QKeySequence(Qt::CTRL | Qt::Key_S).toString(QKeySequence::NativeText), QStringLiteral("F5"),
          QKeySequence(Qt::CTRL | Qt::Key_PageDown).toString(QKeySequence::NativeText),
          QKeySequence(Qt::ALT | Qt::Key_1).toString(QKeySequence::NativeText)})
        QVERIFY2(text.contains(k), qPrintable(k + QStringLiteral(" missing from:\n") + text));
    QVERIFY(text.contains(QStringLiteral("Sync")));
    QVERIFY(!text.contains(QLatin1Char('&')));
    shortcuts->close();
}

void TstGuiDesktop::dialogTitlesAndAmpersands()
{
    const QStringList names{QStringLiteral("development"), QStringLiteral("production"),
                            QStringLiteral("legacy")};
    QStringList problems = ampersandsIn(m_window.get());
    QList<QWidget *> dialogs;
    dialogs << m_window->startAction(Plan::Kind::Sync, 0) << m_window->startAction(Plan::Kind::Sync, 1)
            << m_window->startAction(Plan::Kind::Restore, 0) << m_window->startAction(Plan::Kind::Migrate, 0)
            << m_window->showCompareDialog(0, 1) << m_window->showProfileDialog(false)
            << m_window->showShortcuts();
    m_window->stampMarker(1); // production: the typed-name confirmation
    QTest::qWait(200);
    for (QWidget *w : QApplication::topLevelWidgets())
        if (w->isVisible() && w != m_window.get() && !dialogs.contains(w))
            dialogs << w;
    QTest::qWait(500); // plans arrive, texts settle
    for (QWidget *d : std::as_const(dialogs)) {
        QVERIFY(d);
        QVERIFY2(!d->windowTitle().contains(QStringLiteral("Moltdesk")) || d == m_window.get(),
                 qPrintable(QStringLiteral("a dialog title says what it does, not the program: ") +
                            d->windowTitle()));
        if (const QString bad = notTitleCase(d->windowTitle(), names); !bad.isEmpty())
            problems << QStringLiteral("title not in title case: ") + bad;
        problems += ampersandsIn(d);
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    for (QWidget *d : std::as_const(dialogs))
        d->close();
}

void TstGuiDesktop::emptyLogSaysWhatToDo()
{
    m_window->findChild<QTabWidget *>(QStringLiteral("detailTabs"))->setCurrentIndex(3);
    auto *empty = m_window->findChild<QLabel *>(QStringLiteral("logEmpty"));
    auto *view = m_window->findChild<QTableView *>(QStringLiteral("logView"));
    QVERIFY(empty && view);
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(!view->isVisible());
    QVERIFY2(empty->text().contains(QStringLiteral("No activity yet")) &&
                 empty->text().contains(QStringLiteral("Sync")),
             qPrintable(empty->text()));
    QSignalSpy written(m_window.get(), &MainWindow::activityWritten);
    m_window->stampMarker(2);
    QTRY_VERIFY_WITH_TIMEOUT(written.count() >= 1, 10000);
    QVERIFY(!empty->isVisible());
    QVERIFY(view->isVisible());
}

void TstGuiDesktop::mountModeMatrixSaysWhy()
{
    m_window->findChild<QTabWidget *>(QStringLiteral("detailTabs"))->setCurrentIndex(2);
    auto *why = m_window->findChild<QLabel *>(QStringLiteral("matrixEmpty"));
    QVERIFY(why);
    QTRY_VERIFY(why->isVisible());
    QVERIFY2(why->text().contains(QStringLiteral("Local mount")) &&
                 why->text().contains(QStringLiteral("Credentials")),
             qPrintable(why->text()));
    QVERIFY(!m_window->findChild<QTableView *>(QStringLiteral("credentialMatrix"))->isVisible());
}

void TstGuiDesktop::legacyRowStampLink()
{
    m_window->selectRow(2);
    auto *overview = m_window->findChild<QTextBrowser *>(QStringLiteral("overviewText"));
    QTRY_VERIFY(overview->toHtml().contains(QStringLiteral("moltdesk:stamp")));
    QVERIFY(overview->toPlainText().contains(QStringLiteral("Stamp this bucket as the legacy bucket")));
    const QString marker =
        m_demo + QStringLiteral("/data/data/moltbot/") + QLatin1String(IdentityMarker::kKey);
    QVERIFY(!QFileInfo::exists(marker));
    QSignalSpy refreshed(m_window.get(), &MainWindow::statusRefreshed);
    Q_EMIT overview->anchorClicked(QUrl(QStringLiteral("moltdesk:stamp")));
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(marker), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!overview->toHtml().contains(QStringLiteral("moltdesk:stamp")), 10000);
}

QTEST_MAIN(TstGuiDesktop)
#include "tst_gui_desktop.moc"
