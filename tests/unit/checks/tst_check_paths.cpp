// The "paths" check (core/audit/checks/PathsCheck.cpp) in each of its states: passes, fails (or warns)
// and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckPaths : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("paths")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckPaths)
#include "tst_check_paths.moc"
