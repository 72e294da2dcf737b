# Every dependency comes from a Debian package (see scripts/setup.sh); none is optional.
find_package(Boost 1.74 REQUIRED CONFIG)    # Boost.Graph is header-only
find_package(TBB REQUIRED)                  # oneTBB
find_package(HDF5 REQUIRED COMPONENTS C)    # results and exchange files
find_package(Eigen3 3.3 REQUIRED NO_MODULE) # training (plasticity/)
find_package(tomlplusplus 3 REQUIRED)       # experiment files
find_package(CLI11 2 REQUIRED)              # the command line

add_library(spikegraph_hdf5 INTERFACE)
target_include_directories(spikegraph_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
target_link_libraries(spikegraph_hdf5 INTERFACE ${HDF5_LIBRARIES})
target_compile_definitions(spikegraph_hdf5 INTERFACE ${HDF5_DEFINITIONS})

if(SPIKEGRAPH_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()
