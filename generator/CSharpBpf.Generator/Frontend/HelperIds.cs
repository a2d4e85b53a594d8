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
        public const int GetCurrentTask = 35;
        public const int Redirect = 23;
        public const int PerfEventOutput = 25;
        public const int GetStackId = 27;
        public const int SkbLoadBytes = 26;
        public const int XdpAdjustHead = 44;
        public const int XdpAdjustTail = 65;
        public const int SendSignal = 109;
        public const int ProbeReadUser = 112;
        public const int ProbeReadKernel = 113;
        public const int ProbeReadUserString = 114;
        public const int ProbeReadKernelString = 115;
        public const int RingbufOutput = 130;
        public const int RingbufReserve = 131;
        public const int RingbufSubmit = 132;
        public const int RingbufDiscard = 133;
        public const int GetCurrentTaskBtf = 158;
        public const int GetAttachCookie = 174;
    }
}
