# Settings of the mps2-an386 firmware build that every translation unit must
# share (the runtime's buffer sizes are part of its class layouts): included by
# the top-level CMakeLists.txt before the runtime is added.
#
# A lean meter: APDUs of at most 512 bytes either way (clients negotiate their
# max-PDU down to it) and 128-byte HDLC information fields (main.cpp).
if(NOT CMAKE_CROSSCOMPILING)
  message(FATAL_ERROR "mps2-an386 is a Cortex-M4 target: configure with the preset mps2-an386 "
                      "(toolchain cmake/toolchains/arm-none-eabi-cortex-m4.cmake)")
endif()
add_compile_definitions(METERGEN_MAX_PDU=512)
