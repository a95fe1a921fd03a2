target_sources(moltdesk_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/KeyPath.cpp ${CMAKE_CURRENT_LIST_DIR}/KeyPath.h
    ${CMAKE_CURRENT_LIST_DIR}/FolderObjects.cpp ${CMAKE_CURRENT_LIST_DIR}/FolderObjects.h
    ${CMAKE_CURRENT_LIST_DIR}/FileHash.cpp ${CMAKE_CURRENT_LIST_DIR}/FileHash.h
    ${CMAKE_CURRENT_LIST_DIR}/MountBackend.cpp ${CMAKE_CURRENT_LIST_DIR}/MountBackend.h
    ${CMAKE_CURRENT_LIST_DIR}/ObjectDownload.cpp ${CMAKE_CURRENT_LIST_DIR}/ObjectDownload.h)
