target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Plan.cpp ${CMAKE_CURRENT_LIST_DIR}/Plan.h
    ${CMAKE_CURRENT_LIST_DIR}/PlanRules.cpp ${CMAKE_CURRENT_LIST_DIR}/PlanRules.h
    ${CMAKE_CURRENT_LIST_DIR}/Job.cpp ${CMAKE_CURRENT_LIST_DIR}/Job.h
    ${CMAKE_CURRENT_LIST_DIR}/TransferRunner.cpp ${CMAKE_CURRENT_LIST_DIR}/TransferRunner.h
    ${CMAKE_CURRENT_LIST_DIR}/CacheFile.h
    ${CMAKE_CURRENT_LIST_DIR}/HashCache.cpp ${CMAKE_CURRENT_LIST_DIR}/HashCache.h
    ${CMAKE_CURRENT_LIST_DIR}/MountManifest.cpp ${CMAKE_CURRENT_LIST_DIR}/MountManifest.h
    ${CMAKE_CURRENT_LIST_DIR}/LocalTree.cpp ${CMAKE_CURRENT_LIST_DIR}/LocalTree.h
    ${CMAKE_CURRENT_LIST_DIR}/SyncJob.cpp ${CMAKE_CURRENT_LIST_DIR}/SyncJob.h
    ${CMAKE_CURRENT_LIST_DIR}/RestoreJournal.cpp ${CMAKE_CURRENT_LIST_DIR}/RestoreJournal.h
    ${CMAKE_CURRENT_LIST_DIR}/RestoreJob.cpp ${CMAKE_CURRENT_LIST_DIR}/RestoreJob.h
    ${CMAKE_CURRENT_LIST_DIR}/MigrationJob.cpp ${CMAKE_CURRENT_LIST_DIR}/MigrationJob.h)
