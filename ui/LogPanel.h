#pragma once

#include "ActivityLog.h"
#include "EnvironmentPanel.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace moltdesk {

class ActivityFilterProxy;
class ActivityLogModel;

// The Log tab: the activity log with its text and profile filters (the open profile's entries by
// default), Copy Details, Export… and the empty state. The window writes and reads the log file; the
// panel only shows it and asks for an export.
class LogPanel : public EnvironmentPanel
{
    Q_OBJECT
public:
    explicit LogPanel(QWidget *parent = nullptr);
    void setEnvironment(const EnvironmentSelection &selection) override;

    ActivityLogModel *model() const { return m_model; }
    // The entries shown (profile and text filter applied), newest first.
    QList<ActivityEntry> shownEntries() const;

Q_SIGNALS:
    void exportRequested(const QString &path);

private:
    void buildFilterRow();
    void rebuildProfiles();
    void profileChosen();
    void updateEmpty();
    void copyDetails();
    void chooseExportFile();

    SessionPtr m_session;
    ActivityLogModel *m_model = nullptr;
    ActivityFilterProxy *m_proxy = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_profileFilter = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_empty = nullptr;
};

} // namespace moltdesk
