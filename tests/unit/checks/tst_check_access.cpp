// The "access" check (core/audit/checks/AccessCheck.cpp) in each of its states: passes, fails (or warns)
// and cannot run, on the mount-mode fixture of tests/unit/AuditFixture.h.
#include "AuditFixture.h"

using namespace moltdesk::test;

class TestCheckAccess : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void states_data() { addCheckStateRows(QStringLiteral("access")); }
    void states() { runCheckState(); }
};

QTEST_GUILESS_MAIN(TestCheckAccess)
#include "tst_check_access.moc"
