namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The kernel helper numbers the lowering calls (enum bpf_func_id in include/uapi/linux/bpf.h).</summary>
    internal static class HelperIds
    {
        public const int MapLookupElem = 1;
        public const int MapUpdateElem = 2;
        public const int MapDeleteElem = 3;
        public const int KtimeGetNs = 5;
        public const int TracePrintk = 6;
        public const int GetPrandomU32 = 7;
        public const int GetSmpProcessorId = 8;
        public const int SkbStoreBytes = 9;
        public const int TailCall = 12;
        public const int GetCurrentPidTgid = 14;
        public const int GetCurrentUidGid = 15;
        public const int GetCurrentComm = 16;
        public const int Redirect = 23;
        public const int SkbLoadBytes = 26;
        public const int XdpAdjustHead = 44;
        public const int XdpAdjustTail = 65;
        public const int RingbufOutput = 130;
    }
}
