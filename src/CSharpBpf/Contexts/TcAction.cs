namespace CSharpBpf;

/// <summary>What a tc program in direct-action mode decides (TC_ACT_*).</summary>
public enum TcAction : int
{
    /// <summary>Use the default action configured for tc.</summary>
    Unspecified = -1,
    /// <summary>Let the packet go on.</summary>
    Ok = 0,
    /// <summary>Classify again from the start.</summary>
    Reclassify = 1,
    /// <summary>Drop.</summary>
    Shot = 2,
    /// <summary>Go on to the next action.</summary>
    Pipe = 3,
    /// <summary>Consumed by the program.</summary>
    Stolen = 4,
    /// <summary>Queued.</summary>
    Queued = 5,
    /// <summary>Run the action again.</summary>
    Repeat = 6,
    /// <summary>Redirected by bpf_redirect.</summary>
    Redirect = 7,
}
