# Parses Ethernet + IPv4 + TCP with a bounds check before each header, as an XDP parser would,
# and returns a hash of the flow's 5-tuple (0 when the frame is not IPv4/TCP).
# r1 = frame, r2 = length.
    mov %r0, 0
    jlt %r2, 14, done            # Ethernet header present?
    ldxh %r3, [%r1+12]
    be16 %r3
    jne %r3, 0x0800, done        # IPv4 only
    jlt %r2, 34, done            # minimal IPv4 header present?
    ldxb %r4, [%r1+14]
    and %r4, 0x0f
    lsh %r4, 2                   # IHL in bytes
    jlt %r4, 20, done
    ldxb %r5, [%r1+23]
    jne %r5, 6, done             # TCP only
    mov %r6, %r4
    add %r6, 34                  # Ethernet + IP header + 20 bytes of TCP
    jgt %r6, %r2, done
    mov %r7, %r1
    add %r7, %r4                 # r7 + 14 = TCP header
    ldxw %r0, [%r1+26]           # source address
    ldxw %r8, [%r1+30]           # destination address
    lsh %r0, 1
    xor %r0, %r8
    ldxh %r8, [%r7+14]           # source port
    mul %r0, 0x9e3779b1
    xor %r0, %r8
    ldxh %r8, [%r7+16]           # destination port
    mul %r0, 0x9e3779b1
    xor %r0, %r8
    xor %r0, %r5                 # protocol
    mov %r8, %r0
    rsh %r8, 29
    xor %r0, %r8
done:
    exit
