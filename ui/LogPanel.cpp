#include "LogPanel.h"

#include "ActivityLogModel.h"
#include "FileDialog.h"
#include "TableView.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace moltdesk {

LogPanel::LogPanel(QWidget *parent) : EnvironmentPanel(parent)
{
    auto *ll = new QVBoxLayout(this);
    buildFilterRow();
    m_model = new ActivityLogModel(this);
    m_proxy = new ActivityFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view = makeTable(this, QStringLiteral("logView"), QStringLiteral("Activity log"));
    m_view->setModel(m_proxy);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(ActivityLogModel::TimeColumn, 150);
    ll->addWidget(m_view);
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("logEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    ll->addWidget(m_empty);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogPanel::updateEmpty);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LogPanel::updateEmpty);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LogPanel::updateEmpty);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &LogPanel::updateEmpty);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_profileFilter, &QComboBox::currentIndexChanged, this, &LogPanel::profileChosen);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogPanel::rebuildProfiles);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LogPanel::rebuildProfiles);
    rebuildProfiles();
    updateEmpty();
}

// The text filter, the profile filter, Copy Details and Export…, in one row above the log.
void LogPanel::buildFilterRow()
{
    auto *lrow = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("logFilter"));
    m_filter->setPlaceholderText(QStringLiteral("Filter the activity log…"));
    m_filter->setAccessibleName(QStringLiteral("Filter the activity log"));
    m_filter->setClearButtonEnabled(true);
    lrow->addWidget(m_filter, 1);
    m_profileFilter = new QComboBox(this);
    m_profileFilter->setObjectName(QStringLiteral("logProfileFilter"));
    m_profileFilter->setAccessibleName(QStringLiteral("Show the activity of"));
    m_profileFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    lrow->addWidget(m_profileFilter);
    auto *copyButton = new QPushButton(QStringLiteral("Cop&y Details"), this);
    copyButton->setObjectName(QStringLiteral("copyDetailsButton"));
    lrow->addWidget(copyButton);
    auto *exportButton = new QPushButton(QStringLiteral("E&xport…"), this);
    exportButton->setObjectName(QStringLiteral("exportLogButton"));
    exportButton->setToolTip(QStringLiteral("Save the entries shown as JSON lines"));
    lrow->addWidget(exportButton);
    static_cast<QVBoxLayout *>(layout())->addLayout(lrow);
    connect(copyButton, &QPushButton::clicked, this, &LogPanel::copyDetails);
    connect(exportButton, &QPushButton::clicked, this, &LogPanel::chooseExportFile);
}

void LogPanel::setEnvironment(const EnvironmentSelection &sel)
{
    if (sel.session == m_session)
        return;
    m_session = sel.session;
    rebuildProfiles();
    if (m_session)
        m_profileFilter->setCurrentIndex(qMax(0, m_profileFilter->findData(m_session->profilePath)));
}

QList<ActivityEntry> LogPanel::shownEntries() const
{
    return m_proxy->shownEntries();
}

void LogPanel::rebuildProfiles()
{
    // "All profiles", then each profile the log names, the open one first; the choice survives.
    const QVariant chosen = m_profileFilter->currentData();
    QStringList profiles = m_model->profiles();
    if (m_session && !profiles.contains(m_session->profilePath))
        profiles.prepend(m_session->profilePath);
    const QSignalBlocker block(m_profileFilter);
    m_profileFilter->clear();
    m_profileFilter->addItem(QStringLiteral("All profiles"));
    for (const QString &p : std::as_const(profiles)) {
        const bool open = m_session && p == m_session->profilePath;
        m_profileFilter->addItem(p.isEmpty() ? QStringLiteral("(no profile recorded)")
                                             : QFileInfo(p).fileName() +
                                                   (open ? QStringLiteral(" (open)") : QString()),
                                 p);
        m_profileFilter->setItemData(m_profileFilter->count() - 1, QDir::toNativeSeparators(p),
                                     Qt::ToolTipRole);
    }
    const int again = chosen.isValid() ? m_profileFilter->findData(chosen) : 0;
    m_profileFilter->setCurrentIndex(qMax(0, again));
    profileChosen();
}

void LogPanel::profileChosen()
{
    const QVariant v = m_profileFilter->currentData();
    m_proxy->setProfile(v.isValid() ? v.toString() : QString());
    updateEmpty();
}

void LogPanel::updateEmpty()
{
    // An empty log says what will appear there and how to make something appear.
    const bool none = m_proxy->rowCount() == 0;
    const bool filtered = !m_filter->text().isEmpty();
    m_empty->setVisible(none);
    m_view->setVisible(!none || filtered);
    if (none && filtered)
        m_empty->setText(QStringLiteral("<p>No entry matches “%1”. Clear the filter to see everything.</p>")
                             .arg(m_filter->text().toHtmlEscaped()));
    else if (none)
        m_empty->setText(
            QStringLiteral(
                "<p><b>No activity yet%1.</b> Every sync, restore, migration, stamp, download and "
                "credentials change is recorded here: who, in which profile, from where into where, "
                "the plan, the overrides and the outcome. Select an environment and choose Sync "
                "(Ctrl+S) or Restore to begin.</p>")
                .arg(m_proxy->profile().isNull() ? QString() : QStringLiteral(" in this profile")));
}

void LogPanel::copyDetails()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    QStringList out;
    for (const QModelIndex &i : rows)
        out << i.data(ActivityLogModel::DetailsRole).toString();
    if (out.isEmpty() && m_proxy->rowCount() > 0)
        out << m_proxy->index(0, 0).data(ActivityLogModel::DetailsRole).toString();
    QApplication::clipboard()->setText(out.join(QLatin1Char('\n')));
}

void LogPanel::chooseExportFile()
{
    const QString path = FileDialog::saveFileName(this, QStringLiteral("Export Activity Log"),
                                                  QDir::homePath() + QStringLiteral("/activity.jsonl"),
                                                  QStringLiteral("JSON lines (*.jsonl);;All files (*)"));
    if (!path.isEmpty())
        Q_EMIT exportRequested(path);
}

} // namespace moltdesk
