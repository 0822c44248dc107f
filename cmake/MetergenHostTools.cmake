# Host tools of a firmware (cross) build: the `metergen` generator, which
# metergen_add_model runs at build time, and the QEMU firmware test runner.
#
# They cannot be built with the cross compiler, so this configures the same
# source tree a second time for the build host, in <build>/host-tools (Release,
# host compiler found as usual, no tests or benchmarks but the firmware runner),
# and builds just those two targets there, before anything that needs them, on
# every build (a no-op when they are up to date). `metergen` becomes an imported
# executable of the cross build, so metergen_add_model works unchanged.
#
# Defines: the imported executable `metergen`, the imported executable
# `firmware_qemu_tests` and METERGEN_HOST_TOOLS_DIR.
include(ExternalProject)

set(METERGEN_HOST_TOOLS_DIR ${CMAKE_BINARY_DIR}/host-tools)
set(metergen_host_generator ${METERGEN_HOST_TOOLS_DIR}/generator/metergen)
set(metergen_host_runner ${METERGEN_HOST_TOOLS_DIR}/tests/firmware/firmware_qemu_tests)

ExternalProject_Add(metergen_host_tools
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${METERGEN_HOST_TOOLS_DIR}
  CMAKE_ARGS -DCMAKE_BUILD_TYPE=Release -DMETERGEN_BUILD_TESTS=OFF -DMETERGEN_BUILD_BENCH=OFF
             -DMETERGEN_BUILD_FIRMWARE_TESTS=ON
  BUILD_COMMAND ${CMAKE_COMMAND} --build <BINARY_DIR> --target metergen firmware_qemu_tests
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  BUILD_BYPRODUCTS ${metergen_host_generator} ${metergen_host_runner}
  USES_TERMINAL_BUILD ON)

add_executable(metergen IMPORTED GLOBAL)
set_target_properties(metergen PROPERTIES IMPORTED_LOCATION ${metergen_host_generator})
add_dependencies(metergen metergen_host_tools)

add_executable(firmware_qemu_tests IMPORTED GLOBAL)
set_target_properties(firmware_qemu_tests PROPERTIES IMPORTED_LOCATION ${metergen_host_runner})
add_dependencies(firmware_qemu_tests metergen_host_tools)
