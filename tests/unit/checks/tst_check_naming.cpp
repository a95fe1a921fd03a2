// The "naming" check (core/audit/checks/NamingCheck.cpp) in each of its states: passes, fails (or warns)
// and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckNaming : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("naming")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckNaming)
#include "tst_check_naming.moc"
