# The deployment's side: the worker's admin API behind Cloudflare Access, and the live isolation probe.
target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/WorkerLogging.cpp ${CMAKE_CURRENT_LIST_DIR}/WorkerLogging.h
    ${CMAKE_CURRENT_LIST_DIR}/WorkerLocator.cpp ${CMAKE_CURRENT_LIST_DIR}/WorkerLocator.h
    ${CMAKE_CURRENT_LIST_DIR}/AccessToken.cpp ${CMAKE_CURRENT_LIST_DIR}/AccessToken.h
    ${CMAKE_CURRENT_LIST_DIR}/WorkerReplies.cpp ${CMAKE_CURRENT_LIST_DIR}/WorkerReplies.h
    ${CMAKE_CURRENT_LIST_DIR}/WorkerClient.cpp ${CMAKE_CURRENT_LIST_DIR}/WorkerClient.h
    ${CMAKE_CURRENT_LIST_DIR}/BucketSnapshot.cpp ${CMAKE_CURRENT_LIST_DIR}/BucketSnapshot.h
    ${CMAKE_CURRENT_LIST_DIR}/WorkerActions.cpp ${CMAKE_CURRENT_LIST_DIR}/WorkerActions.h
    ${CMAKE_CURRENT_LIST_DIR}/LiveIsolationProbe.cpp ${CMAKE_CURRENT_LIST_DIR}/LiveIsolationProbe.h)
target_include_directories(moltdesk_core PUBLIC ${CMAKE_CURRENT_LIST_DIR})
