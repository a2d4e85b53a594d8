# Returns the IP protocol number of an Ethernet + IPv4 frame, or -1 (as u64) when the frame is
# too short or not IPv4. r1 points at the frame, r2 holds its length.
    mov %r0, -1
    jlt %r2, 34, done          # 14 (Ethernet) + 20 (minimal IPv4 header)
    ldxh %r3, [%r1+12]         # EtherType, network order
    be16 %r3
    jne %r3, 0x0800, done
    ldxb %r0, [%r1+23]         # IPv4 protocol field
done:
    exit
