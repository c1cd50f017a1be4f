using ReadingBot.Core.Groups;
using ReadingBot.Core.Papers;

namespace ReadingBot.Core.Roadmaps;

/// <summary>A classic on the starter roadmap: bibliographic facts and a one-line summary in our own words.</summary>
public sealed record StarterPaper(
    string Section,
    string Reference,
    string Title,
    IReadOnlyList<string> Authors,
    string Venue,
    int Year,
    string Summary,
    string? ArxivId = null,
    string? Doi = null,
    string? Url = null);

/// <summary>
/// The default roadmap: classics from the Deep-Learning-Papers-Reading-Roadmap, AlexNet first, so a new group can
/// start without any network. Only facts and our own one-line summaries live here; abstracts are fetched from the
/// sources when they can be reached.
/// </summary>
public static class StarterRoadmap
{
    public const string Title = "Deep learning classics";

    private const string ImageNet = "ImageNet and deep convolutional networks";
    private const string Foundations = "Foundations";
    private const string Training = "Training deep networks";
    private const string Sequences = "Speech, language and sequences";
    private const string Generative = "Generative models";
    private const string Vision = "Detection, segmentation and captioning";
    private const string Agents = "Reinforcement learning";
    private const string Efficiency = "Smaller models and memory";

    public static IReadOnlyList<StarterPaper> Papers { get; } =
    [
        new(ImageNet, "https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks",
            "ImageNet Classification with Deep Convolutional Neural Networks", ["Alex Krizhevsky", "Ilya Sutskever", "Geoffrey E. Hinton"], "NIPS", 2012,
            "A large GPU-trained convnet with ReLUs and dropout won ImageNet 2012 by a wide margin and started the deep learning boom.",
            Doi: "10.1145/3065386", Url: "https://papers.nips.cc/paper/4824-imagenet-classification-with-deep-convolutional-neural-networks"),
        new(ImageNet, "1409.1556", "Very Deep Convolutional Networks for Large-Scale Image Recognition", ["Karen Simonyan", "Andrew Zisserman"], "ICLR", 2015,
            "Stacking many small 3x3 convolutions makes depth the main lever for accuracy (VGG).", ArxivId: "1409.1556"),
        new(ImageNet, "1409.4842", "Going Deeper with Convolutions",
            ["Christian Szegedy", "Wei Liu", "Yangqing Jia", "Pierre Sermanet", "Scott Reed", "Dragomir Anguelov", "Dumitru Erhan", "Vincent Vanhoucke", "Andrew Rabinovich"], "CVPR", 2015,
            "Inception modules run several filter sizes in parallel to get a deep network at a modest compute budget (GoogLeNet).", ArxivId: "1409.4842"),
        new(ImageNet, "1512.03385", "Deep Residual Learning for Image Recognition", ["Kaiming He", "Xiangyu Zhang", "Shaoqing Ren", "Jian Sun"], "CVPR", 2016,
            "Identity shortcuts let layers learn residuals, so networks with over a hundred layers train well (ResNet).", ArxivId: "1512.03385"),

        new(Foundations, "10.1038/nature14539", "Deep learning", ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"], "Nature", 2015,
            "A survey by three pioneers of why learned representations work and where the field was heading.", Doi: "10.1038/nature14539"),
        new(Foundations, "10.1162/neco.2006.18.7.1527", "A Fast Learning Algorithm for Deep Belief Nets", ["Geoffrey E. Hinton", "Simon Osindero", "Yee-Whye Teh"], "Neural Computation", 2006,
            "Greedy layer-by-layer pretraining of restricted Boltzmann machines made deep generative networks trainable.", Doi: "10.1162/neco.2006.18.7.1527"),
        new(Foundations, "10.1126/science.1127647", "Reducing the Dimensionality of Data with Neural Networks", ["Geoffrey E. Hinton", "Ruslan R. Salakhutdinov"], "Science", 2006,
            "Pretrained deep autoencoders find low-dimensional codes that beat PCA.", Doi: "10.1126/science.1127647"),

        new(Training, "1207.0580", "Improving neural networks by preventing co-adaptation of feature detectors",
            ["Geoffrey E. Hinton", "Nitish Srivastava", "Alex Krizhevsky", "Ilya Sutskever", "Ruslan R. Salakhutdinov"], "arXiv", 2012,
            "Randomly dropping units during training (dropout) curbs overfitting in large networks.", ArxivId: "1207.0580"),
        new(Training, "1502.03167", "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift", ["Sergey Ioffe", "Christian Szegedy"], "ICML", 2015,
            "Normalising activations per mini-batch allows higher learning rates and much faster training.", ArxivId: "1502.03167"),
        new(Training, "1412.6980", "Adam: A Method for Stochastic Optimization", ["Diederik P. Kingma", "Jimmy Ba"], "ICLR", 2015,
            "An optimiser with per-parameter step sizes from running estimates of the gradient's first and second moments.", ArxivId: "1412.6980"),
        new(Training, "1607.06450", "Layer Normalization", ["Jimmy Lei Ba", "Jamie Ryan Kiros", "Geoffrey E. Hinton"], "arXiv", 2016,
            "Normalising across the features of each example removes batch-size dependence and suits recurrent networks.", ArxivId: "1607.06450"),

        new(Sequences, "1303.5778", "Speech Recognition with Deep Recurrent Neural Networks", ["Alex Graves", "Abdel-rahman Mohamed", "Geoffrey Hinton"], "ICASSP", 2013,
            "Deep bidirectional LSTMs trained end to end set a new record on TIMIT phoneme recognition.", ArxivId: "1303.5778"),
        new(Sequences, "1308.0850", "Generating Sequences With Recurrent Neural Networks", ["Alex Graves"], "arXiv", 2013,
            "LSTMs that predict one step at a time can generate text and realistic handwriting.", ArxivId: "1308.0850"),
        new(Sequences, "1310.4546", "Distributed Representations of Words and Phrases and their Compositionality",
            ["Tomas Mikolov", "Ilya Sutskever", "Kai Chen", "Greg Corrado", "Jeffrey Dean"], "NIPS", 2013,
            "Skip-gram with negative sampling learns word vectors cheaply, and phrases get vectors too (word2vec).", ArxivId: "1310.4546"),
        new(Sequences, "1409.3215", "Sequence to Sequence Learning with Neural Networks", ["Ilya Sutskever", "Oriol Vinyals", "Quoc V. Le"], "NIPS", 2014,
            "One LSTM encodes a sentence into a vector and another decodes the translation from it.", ArxivId: "1409.3215"),
        new(Sequences, "1409.0473", "Neural Machine Translation by Jointly Learning to Align and Translate", ["Dzmitry Bahdanau", "Kyunghyun Cho", "Yoshua Bengio"], "ICLR", 2015,
            "The decoder learns where to look in the source sentence: the attention mechanism.", ArxivId: "1409.0473"),
        new(Sequences, "1706.03762", "Attention Is All You Need",
            ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones", "Aidan N. Gomez", "Łukasz Kaiser", "Illia Polosukhin"], "NIPS", 2017,
            "The Transformer drops recurrence for stacked self-attention and trains far faster in parallel.", ArxivId: "1706.03762"),

        new(Generative, "1312.6114", "Auto-Encoding Variational Bayes", ["Diederik P. Kingma", "Max Welling"], "ICLR", 2014,
            "The reparameterisation trick makes variational inference trainable with backpropagation (the VAE).", ArxivId: "1312.6114"),
        new(Generative, "1406.2661", "Generative Adversarial Networks",
            ["Ian J. Goodfellow", "Jean Pouget-Abadie", "Mehdi Mirza", "Bing Xu", "David Warde-Farley", "Sherjil Ozair", "Aaron Courville", "Yoshua Bengio"], "NIPS", 2014,
            "A generator learns to fool a discriminator, and the game between them learns the data distribution.", ArxivId: "1406.2661"),
        new(Generative, "1511.06434", "Unsupervised Representation Learning with Deep Convolutional Generative Adversarial Networks",
            ["Alec Radford", "Luke Metz", "Soumith Chintala"], "ICLR", 2016,
            "Architecture rules that make convolutional GANs stable, with latent spaces that support vector arithmetic (DCGAN).", ArxivId: "1511.06434"),

        new(Vision, "1311.2524", "Rich feature hierarchies for accurate object detection and semantic segmentation",
            ["Ross Girshick", "Jeff Donahue", "Trevor Darrell", "Jitendra Malik"], "CVPR", 2014,
            "Classifying region proposals with CNN features brought a large jump in detection accuracy (R-CNN).", ArxivId: "1311.2524"),
        new(Vision, "1506.01497", "Faster R-CNN: Towards Real-Time Object Detection with Region Proposal Networks",
            ["Shaoqing Ren", "Kaiming He", "Ross Girshick", "Jian Sun"], "NIPS", 2015,
            "A region proposal network shares convolutional features with the detector, making proposals nearly free.", ArxivId: "1506.01497"),
        new(Vision, "1506.02640", "You Only Look Once: Unified, Real-Time Object Detection", ["Joseph Redmon", "Santosh Divvala", "Ross Girshick", "Ali Farhadi"], "CVPR", 2016,
            "Detection as a single regression over a grid, fast enough for real-time video (YOLO).", ArxivId: "1506.02640"),
        new(Vision, "1411.4038", "Fully Convolutional Networks for Semantic Segmentation", ["Jonathan Long", "Evan Shelhamer", "Trevor Darrell"], "CVPR", 2015,
            "Classification networks turned fully convolutional predict a label for every pixel.", ArxivId: "1411.4038"),
        new(Vision, "1411.4555", "Show and Tell: A Neural Image Caption Generator", ["Oriol Vinyals", "Alexander Toshev", "Samy Bengio", "Dumitru Erhan"], "CVPR", 2015,
            "A CNN image encoder feeding an LSTM decoder writes captions end to end.", ArxivId: "1411.4555"),
        new(Vision, "1508.06576", "A Neural Algorithm of Artistic Style", ["Leon A. Gatys", "Alexander S. Ecker", "Matthias Bethge"], "arXiv", 2015,
            "Matching content features and Gram-matrix style statistics repaints a photo in an artist's style.", ArxivId: "1508.06576"),

        new(Agents, "1312.5602", "Playing Atari with Deep Reinforcement Learning",
            ["Volodymyr Mnih", "Koray Kavukcuoglu", "David Silver", "Alex Graves", "Ioannis Antonoglou", "Daan Wierstra", "Martin Riedmiller"], "NIPS Deep Learning Workshop", 2013,
            "A convnet trained with Q-learning and experience replay plays Atari games from raw pixels (DQN).", ArxivId: "1312.5602"),

        new(Efficiency, "1503.02531", "Distilling the Knowledge in a Neural Network", ["Geoffrey Hinton", "Oriol Vinyals", "Jeff Dean"], "NIPS Deep Learning Workshop", 2014,
            "A small student trained on a large teacher's softened outputs keeps most of its accuracy.", ArxivId: "1503.02531"),
        new(Efficiency, "1510.00149", "Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding",
            ["Song Han", "Huizi Mao", "William J. Dally"], "ICLR", 2016,
            "Pruning, weight sharing and entropy coding shrink networks by an order of magnitude or more without losing accuracy.", ArxivId: "1510.00149"),
        new(Efficiency, "1410.5401", "Neural Turing Machines", ["Alex Graves", "Greg Wayne", "Ivo Danihelka"], "arXiv", 2014,
            "A network coupled to a differentiable external memory learns simple algorithms such as copying and sorting.", ArxivId: "1410.5401"),
    ];

    private static readonly Dictionary<string, StarterPaper> ByKey = Papers.ToDictionary(p => KeyOf(p), StringComparer.Ordinal);

    /// <summary>The paper key of a starter entry (its reference parsed like any member's).</summary>
    public static string KeyOf(StarterPaper paper) => PaperRefParser.Parse(paper.Reference).Reference!.Key;

    /// <summary>The starter roadmap for a group.</summary>
    public static Roadmap Build(GroupId group) => new()
    {
        Group = group,
        Title = Title,
        Source = "starter",
        Sections = Papers.GroupBy(p => p.Section).Select(g => new RoadmapSection(g.Key, g.Select(p => new RoadmapItem(KeyOf(p), p.Title, p.Summary)).ToList())).ToList(),
    };

    public static StarterPaper? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>A pending paper record holding the starter facts, for a classic added while the sources are offline.</summary>
    public static Paper? PaperFor(string key)
    {
        if (Find(key) is not { } s)
        {
            return null;
        }

        var reference = PaperRef.FromKey(key);
        return Paper.Pending(reference) with
        {
            Title = s.Title,
            Authors = s.Authors,
            Venue = s.Venue,
            Year = s.Year,
            Doi = s.Doi ?? (reference.Source == PaperSource.Doi ? reference.Id : null),
            ArxivId = s.ArxivId,
            Url = s.Url ?? Paper.Pending(reference).Url,
        };
    }
}
