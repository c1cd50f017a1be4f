namespace ReadingBot.TestSupport.Slack;

/// <summary>
/// Slack's documented limits, in one place so the emulator can be checked against the docs when they change
/// (reviewed 2026-11 against docs.slack.dev). Timing defaults live in <see cref="SlackEmulatorOptions"/>.
/// </summary>
public static class SlackLimits
{
    // docs.slack.dev/reference/block-kit/blocks: 50 blocks in a message, 100 in a modal or Home tab.
    public const int MessageBlocks = 50;
    public const int ViewBlocks = 100;
    public const int BlockId = 255;

    // Section: text ≤ 3,000; fields ≤ 10, each ≤ 2,000. Actions ≤ 25 elements; context ≤ 10; header text ≤ 150.
    public const int SectionText = 3000;
    public const int Fields = 10;
    public const int FieldText = 2000;
    public const int ActionsElements = 25;
    public const int ContextElements = 10;
    public const int HeaderText = 150;

    // docs.slack.dev/reference/block-kit/block-elements/button-element: text ≤ 75, action_id ≤ 255, value ≤ 2,000, url ≤ 3,000.
    public const int ButtonText = 75;
    public const int ActionId = 255;
    public const int ButtonValue = 2000;
    public const int ButtonUrl = 3000;

    // docs.slack.dev/reference/methods/chat.postMessage: text is truncated past 40,000 characters (msg_too_long).
    public const int MessageText = 40_000;

    // docs.slack.dev/reference/views/modal-views: title ≤ 24 characters.
    public const int ModalTitle = 24;

    // docs.slack.dev/reference/methods/conversations.replies: limit up to 1,000 (Tier 3 apps).
    public const int RepliesPage = 1000;

    // docs.slack.dev/reference/methods/conversations.history: limit default 100, at most 999.
    public const int HistoryPage = 999;

    // docs.slack.dev/reference/methods/files.getUploadURLExternal: a file is at most 1 GB.
    public const long FileBytes = 1L << 30;
}
