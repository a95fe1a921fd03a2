#include "IsolationPanel.h"

#include "AuditModels.h"
#include "DataFlowView.h"
#include "TableView.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace moltdesk {

namespace {
const QString kNotChecked = QStringLiteral("Isolation not checked yet — Verify isolation (Ctrl+I)");
const QString kRechecking = QStringLiteral("⟳ re-checking…  ");

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}
} // namespace

IsolationPanel::IsolationPanel(QWidget *parent) : EnvironmentPanel(parent)
{
    // On a small screen the page scrolls inside its tab rather than pushing the window taller than the
    // screen (its diagram and tables need ~400 px).
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *isoScroll = new QScrollArea(this);
    isoScroll->setObjectName(QStringLiteral("isolationScroll"));
    isoScroll->setFrameShape(QFrame::NoFrame);
    isoScroll->setWidgetResizable(true);
    outer->addWidget(isoScroll);
    auto *page = new QWidget(isoScroll);
    auto *il = new QVBoxLayout(page);
    il->addLayout(buildBanner(page));
    // The data flow above the tables: where each environment's chain breaks, at a glance.
    auto *isoVertical = new QSplitter(Qt::Vertical, page);
    auto *flowScroll = new QScrollArea(isoVertical);
    flowScroll->setObjectName(QStringLiteral("dataFlowScroll"));
    flowScroll->setWidgetResizable(true);
    m_flow = new DataFlowView(flowScroll);
    flowScroll->setWidget(m_flow);
    auto *isoSplit = new QSplitter(Qt::Horizontal, isoVertical);
    isoSplit->addWidget(buildKeysAndPaths(isoSplit));
    isoSplit->addWidget(buildFindings(isoSplit));
    isoSplit->setStretchFactor(0, 2);
    isoSplit->setStretchFactor(1, 3);
    isoVertical->addWidget(flowScroll);
    isoVertical->addWidget(isoSplit);
    isoVertical->setStretchFactor(0, 3);
    isoVertical->setStretchFactor(1, 2);
    flowScroll->setMinimumHeight(160);
    isoVertical->setSizes({480, 300}); // the whole chain visible at the default window size
    il->addWidget(isoVertical, 1);
    page->setMinimumHeight(560); // below that the tab scrolls: diagram and tables keep their heights
    isoScroll->setWidget(page);
}

QLayout *IsolationPanel::buildBanner(QWidget *page)
{
    auto *bannerRow = new QHBoxLayout;
    m_banner = new QLabel(kNotChecked, page);
    m_banner->setObjectName(QStringLiteral("isolationBanner"));
    m_banner->setAccessibleName(QStringLiteral("Isolation verdict"));
    m_banner->setProperty("state", QStringLiteral("unknown"));
    m_banner->setMargin(8);
    m_banner->setAutoFillBackground(true);
    QFont bf = m_banner->font();
    bf.setBold(true);
    bf.setPointSizeF(bf.pointSizeF() * 1.15);
    m_banner->setFont(bf);
    bannerRow->addWidget(m_banner, 1);
    auto *verifyButton = new QPushButton(QStringLiteral("Verify again"), page);
    verifyButton->setObjectName(QStringLiteral("verifyButton"));
    connect(verifyButton, &QPushButton::clicked, this, &IsolationPanel::verifyRequested);
    bannerRow->addWidget(verifyButton);
    return bannerRow;
}

// The left side: which keys reach which bucket, and the mount, write and read paths.
QWidget *IsolationPanel::buildKeysAndPaths(QWidget *parent)
{
    auto *left = new QWidget(parent);
    auto *lil = new QVBoxLayout(left);
    lil->setContentsMargins(0, 0, 0, 0);
    lil->addWidget(new QLabel(QStringLiteral("<b>Credentials × buckets</b>"), left));
    m_matrix = new CredentialMatrixModel(this);
    m_matrixView = makeTable(left, QStringLiteral("credentialMatrix"), QStringLiteral("Credential matrix"));
    m_matrixView->verticalHeader()->setVisible(true);
    m_matrixView->setModel(m_matrix);
    m_matrixView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    lil->addWidget(m_matrixView);
    m_matrixEmpty = new QLabel(left);
    m_matrixEmpty->setObjectName(QStringLiteral("matrixEmpty"));
    m_matrixEmpty->setWordWrap(true);
    m_matrixEmpty->setVisible(false);
    m_matrixEmpty->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    lil->addWidget(m_matrixEmpty);
    lil->addWidget(new QLabel(QStringLiteral("<b>Paths</b>"), left));
    m_paths = new PathModel(this);
    auto *pathView =
        makeTable(left, QStringLiteral("pathTable"), QStringLiteral("Mount, write and read paths"));
    pathView->setModel(m_paths);
    pathView->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    pathView->horizontalHeader()->setSectionResizeMode(PathModel::AgreeColumn, QHeaderView::ResizeToContents);
    lil->addWidget(pathView);
    return left;
}

// The right side: the findings, worst first, and the selected one in full.
QWidget *IsolationPanel::buildFindings(QWidget *parent)
{
    auto *right = new QWidget(parent);
    auto *ril = new QVBoxLayout(right);
    ril->setContentsMargins(0, 0, 0, 0);
    ril->addWidget(new QLabel(QStringLiteral("<b>Findings</b>"), right));
    m_findings = new FindingsModel(this);
    m_findingsView = makeTable(right, QStringLiteral("findingsView"), QStringLiteral("Audit findings"));
    m_findingsView->setModel(m_findings);
    QHeaderView *h = m_findingsView->horizontalHeader();
    h->setSectionResizeMode(FindingsModel::TitleColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(FindingsModel::SeverityColumn, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(FindingsModel::EnvironmentColumn, QHeaderView::ResizeToContents);
    h->resizeSection(FindingsModel::RemedyColumn, 220);
    ril->addWidget(m_findingsView, 1);
    m_findingDetail = new QLabel(right);
    m_findingDetail->setObjectName(QStringLiteral("findingDetail"));
    m_findingDetail->setWordWrap(true);
    m_findingDetail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    ril->addWidget(m_findingDetail);
    connect(m_findingsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &IsolationPanel::showFinding);
    return right;
}

void IsolationPanel::showFinding(const QModelIndex &cur)
{
    if (!cur.isValid()) {
        m_findingDetail->clear();
        return;
    }
    const Finding &f = m_findings->finding(cur.row());
    QString html = QStringLiteral("<b>%1</b><br>Seen: %2").arg(esc(f.title), esc(f.evidence));
    if (!f.remedy.isEmpty())
        html += QStringLiteral("<br>Fix: %1").arg(esc(f.remedy));
    if (!f.file.isEmpty())
        html += QStringLiteral("<br>File: <code>%1%2</code>")
                    .arg(esc(f.file), f.line > 0 ? QStringLiteral(":%1").arg(f.line) : QString());
    if (!f.fixCommand.isEmpty())
        html += QStringLiteral("<br>Command: <code>%1</code>").arg(esc(f.fixCommand));
    m_findingDetail->setText(html);
}

void IsolationPanel::setEnvironment(const EnvironmentSelection &sel)
{
    if (sel.session == m_session)
        return;
    m_session = sel.session;
    resetBanner();
}

void IsolationPanel::resetBanner()
{
    m_banner->setText(kNotChecked);
    m_banner->setProperty("state", QStringLiteral("unknown"));
    m_banner->setProperty("stale", false);
    m_banner->setStyleSheet(QString());
}

void IsolationPanel::markRechecking()
{
    if (!m_banner->text().startsWith(QStringLiteral("⟳")))
        m_banner->setText(kRechecking + m_banner->text());
    m_banner->setProperty("running", true);
}

void IsolationPanel::markStale(const QStringList &names)
{
    // Struck through and muted at once; the window audits again.
    m_banner->setProperty("stale", true);
    m_banner->setText(QStringLiteral("⟳ stale: %1 changed since this was checked — re-checking…  %2")
                          .arg(names.join(QStringLiteral(", ")), m_banner->text()));
    m_banner->setStyleSheet(QStringLiteral("background:#9e9e9e; color:#212121; border-radius:4px;"));
}

VerdictView IsolationPanel::showAudit(const AuditReport &report)
{
    m_matrix->setReport(report);
    updateMatrixEmpty();
    m_paths->setReport(report);
    m_findings->setReport(report);
    m_flow->setReport(report);
    const VerdictView v = verdictView(report);
    m_banner->setProperty("state", v.state);
    m_banner->setProperty("stale", false);
    m_banner->setProperty("running", false);
    m_banner->setProperty("checked", report.generated);
    m_banner->setText(v.banner);
    m_banner->setStyleSheet(v.css);
    m_banner->setAccessibleDescription(v.banner);
    return v;
}

void IsolationPanel::updateMatrixEmpty()
{
    // Mount mode has no keys, so no matrix: say why, and what would give one, instead of an empty grid.
    const bool mount = m_session && m_session->mountMode();
    const bool empty = m_matrix->rowCount() == 0;
    m_matrixEmpty->setVisible(mount || empty);
    m_matrixView->setVisible(!mount && !empty);
    if (mount)
        m_matrixEmpty->setText(
            QStringLiteral("<i>Local mount: the buckets are folders reached without keys, so "
                           "there is no credential matrix. With R2 storage and each "
                           "environment's keys (Environment › Credentials…) it shows which "
                           "keys reach which bucket.</i>"));
    else if (empty)
        m_matrixEmpty->setText(
            QStringLiteral("<i>No keys checked yet: add each environment's R2 keys (Environment › "
                           "Credentials…), then Verify isolation (Ctrl+I).</i>"));
}

} // namespace moltdesk
