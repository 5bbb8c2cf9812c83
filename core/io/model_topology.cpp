#include "io/model_topology.h"

#include <map>
#include <unordered_map>

#include "layers/core/input_layer.h"
#include "layers/registry.h"
#include "models/functional.h"
#include "models/sequential.h"
#include "util/errors.h"

namespace tanuki::io {

namespace {
constexpr int kMaxNesting = 32;

bool isModelClass(const std::string& c) { return c == "Sequential" || c == "Model" || c == "Functional"; }

ModelPtr parseModel(const Json& spec, int depth);

LayerPtr parseLayer(const Json& spec, int depth) {
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string())
    fail<FormatError>("model.json: a layer entry lacks 'class_name'");
  const std::string className = spec["class_name"].get<std::string>();
  if (isModelClass(className)) return parseModel(spec, depth + 1);
  const Json config = spec.contains("config") ? spec["config"] : Json::object();
  if (!config.is_object())
    fail<FormatError>("model.json: layer of class ", className, " has a config that is not an object");
  const std::string name = config.value("name", spec.value("name", std::string("?")));
  if (!isSupportedLayerClass(className))
    fail<FormatError>("model.json: layer '", name, "': ", unknownLayerClass(className));
  return createLayer(className, config);
}

std::optional<bool> trainingKwarg(const Json& kwargs) {
  if (kwargs.is_object() && kwargs.contains("training") && kwargs["training"].is_boolean())
    return kwargs["training"].get<bool>();
  return std::nullopt;
}

struct InboundRef {
  std::string layer;
  int64_t node = 0, tensor = 0;
};

struct Call {
  std::vector<InboundRef> inputs;
  std::optional<bool> training;
};

InboundRef parseRef(const Json& ref, const std::string& owner) {
  // Keras 2 / TF.js: [name, node_index, tensor_index, kwargs]
  if (ref.is_array() && ref.size() >= 3 && ref[0].is_string() && ref[1].is_number_integer() &&
      ref[2].is_number_integer())
    return {ref[0].get<std::string>(), ref[1].get<int64_t>(), ref[2].get<int64_t>()};
  // Keras 3: {"class_name": "__keras_tensor__", "config": {"keras_history": [name, node, tensor]}}
  if (ref.is_object() && ref.contains("config") && ref["config"].contains("keras_history"))
    return parseRef(ref["config"]["keras_history"], owner);
  fail<FormatError>("model.json: layer '", owner, "' has an unreadable inbound node ", ref.dump().substr(0, 200));
}

std::vector<Call> parseInboundNodes(const Json& nodes, const std::string& owner) {
  std::vector<Call> calls;
  if (nodes.is_null()) return calls;
  if (!nodes.is_array()) fail<FormatError>("model.json: layer '", owner, "': inbound_nodes must be a list");
  for (const Json& node : nodes) {
    Call call;
    if (node.is_array()) {
      for (const Json& ref : node) {
        call.inputs.push_back(parseRef(ref, owner));
        if (ref.is_array() && ref.size() >= 4) call.training = trainingKwarg(ref[3]);
      }
    } else if (node.is_object() && node.contains("args")) {
      const Json& args = node["args"];
      const Json& first = args.is_array() && !args.empty() ? args[0] : Json();
      if (first.is_array()) {
        for (const Json& ref : first) call.inputs.push_back(parseRef(ref, owner));
      } else {
        for (const Json& ref : args) call.inputs.push_back(parseRef(ref, owner));
      }
      call.training = trainingKwarg(node.value("kwargs", Json::object()));
    } else {
      fail<FormatError>("model.json: layer '", owner, "' has an unreadable inbound node");
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

// Keras and TF.js number a layer's calls ("node index") from 0, except for a
// model: its own construction is its node 0, so its first call as a layer of
// another model is node 1.
int64_t callOffset(const LayerPtr& layer) { return std::dynamic_pointer_cast<Model>(layer) ? 1 : 0; }

// The key a reference looks up; files that counted a model's calls from 0
// (older Tanuki versions) still load.
int64_t nodeKey(const LayerPtr& layer, int64_t node) { return node == 0 ? callOffset(layer) : node; }

ModelPtr parseSequential(const Json& config) {
  const Json& layers = config.is_array() ? config : config.value("layers", Json::array());
  if (!layers.is_array()) fail<FormatError>("model.json: Sequential config needs a 'layers' list");
  auto model = std::make_shared<Sequential>(config.is_object() ? config.value("name", std::string()) : std::string());
  for (const Json& spec : layers) model->add(parseLayer(spec, 0));
  return model;
}

ModelPtr parseFunctional(const Json& config, int depth) {
  if (!config.is_object() || !config.contains("layers") || !config["layers"].is_array())
    fail<FormatError>("model.json: a functional model config needs a 'layers' list");
  std::map<std::string, LayerPtr> layers;
  std::vector<std::pair<std::string, std::vector<Call>>> calls;
  for (const Json& spec : config["layers"]) {
    const std::string name =
        spec.value("name", spec.contains("config") ? spec["config"].value("name", std::string()) : "");
    if (name.empty()) fail<FormatError>("model.json: a layer of a functional model has no name");
    if (layers.count(name)) fail<FormatError>("model.json: two layers are named '", name, "'");
    const std::string className = spec.value("class_name", std::string());
    if (className == "InputLayer") {
      const Json c = spec.value("config", Json::object());
      ConfigReader reader(c, "InputLayer");
      auto shape = reader.getShape("batch_input_shape");
      if (!shape) shape = reader.getShape("batch_shape");  // Keras 3
      if (!shape || shape->empty()) fail<FormatError>("model.json: InputLayer '", name, "' has no batch_input_shape");
      layers[name] = nullptr;  // made below as an input()
      calls.emplace_back(name, std::vector<Call>{});
      continue;
    }
    layers[name] = parseLayer(spec, depth);
    calls.emplace_back(name, parseInboundNodes(spec.value("inbound_nodes", Json::array()), name));
  }

  // Symbolic outputs by (layer, node index).
  std::map<std::pair<std::string, int64_t>, SymbolicTensor> outputs;
  std::map<std::string, SymbolicTensor> inputsByName;
  for (const Json& spec : config["layers"]) {
    if (spec.value("class_name", std::string()) != "InputLayer") continue;
    const std::string name = spec.value("name", spec["config"].value("name", std::string()));
    ConfigReader reader(spec["config"], "InputLayer");
    auto shape = reader.getShape("batch_input_shape");
    if (!shape) shape = reader.getShape("batch_shape");
    const SymbolicTensor input = makeInput(Shape(shape->begin() + 1, shape->end()), name);
    outputs[{name, 0}] = input;
    inputsByName[name] = input;
  }
  // Keras's order: repeatedly run every call whose inputs exist.
  std::map<std::string, size_t> done;  // calls made per layer
  size_t remaining = 0;
  for (const auto& [name, list] : calls) remaining += list.size();
  while (remaining > 0) {
    bool progress = false;
    for (const auto& [name, list] : calls) {
      size_t& next = done[name];
      while (next < list.size()) {
        const Call& call = list[next];
        std::vector<SymbolicTensor> args;
        bool ready = true;
        for (const auto& ref : call.inputs) {
          if (!layers.count(ref.layer))
            fail<FormatError>("model.json: layer '", name, "' takes input from unknown layer '", ref.layer, "'");
          if (ref.tensor != 0)
            fail<FormatError>("model.json: layer '", name, "' uses output ", ref.tensor, " of layer '", ref.layer,
                              "'; layers with several outputs are not supported");
          auto it = outputs.find({ref.layer, nodeKey(layers[ref.layer], ref.node)});
          if (it == outputs.end()) {
            ready = false;
            break;
          }
          args.push_back(it->second);
        }
        if (!ready) break;
        outputs[{name, static_cast<int64_t>(next) + callOffset(layers[name])}] =
            applySymbolic(layers[name], args, call.training);
        ++next;
        --remaining;
        progress = true;
      }
    }
    if (!progress) {
      for (const auto& [name, list] : calls)
        if (done[name] < list.size())
          fail<FormatError>("model.json: the inputs of layer '", name,
                            "' can never be computed (the graph has a cycle or a missing layer)");
    }
  }

  auto endpoints = [&](const char* key) {
    std::vector<SymbolicTensor> out;
    const Json& list = config.value(key, Json::array());
    if (!list.is_array() || list.empty()) fail<FormatError>("model.json: the model config needs '", key, "'");
    // A single endpoint may be written flat: ["name", 0, 0].
    const bool flat = list.size() >= 3 && list[0].is_string();
    auto take = [&](const Json& ref) {
      const InboundRef r = parseRef(ref, key);
      auto layer = layers.find(r.layer);
      auto it = outputs.find({r.layer, layer == layers.end() ? r.node : nodeKey(layer->second, r.node)});
      if (it == outputs.end())
        fail<FormatError>("model.json: ", key, " names layer '", r.layer, "', which has no output");
      out.push_back(it->second);
    };
    if (flat) {
      take(list);
    } else {
      for (const Json& ref : list) take(ref);
    }
    return out;
  };
  return std::make_shared<Functional>(endpoints("input_layers"), endpoints("output_layers"),
                                      config.value("name", std::string()));
}

ModelPtr parseModel(const Json& spec, int depth) {
  if (depth > kMaxNesting) fail<FormatError>("model.json: models are nested more than ", kMaxNesting, " deep");
  if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string())
    fail<FormatError>("model.json: the model needs 'class_name'");
  const std::string className = spec["class_name"].get<std::string>();
  const Json config = spec.value("config", Json::object());
  ModelPtr model;
  if (className == "Sequential") {
    model = parseSequential(config);
  } else if (className == "Model" || className == "Functional") {
    model = parseFunctional(config, depth);
  } else {
    fail<FormatError>("model.json: unsupported model class '", className,
                      "' (supported: Sequential, Model, Functional)");
  }
  if (config.is_object() && config.contains("trainable") && config["trainable"].is_boolean() &&
      !config["trainable"].get<bool>())
    model->setTrainable(false);
  return model;
}

// Keras node references [[name, node_index, 0, kwargs], ...] for each call of
// each layer of a functional model, numbering each layer's calls in order.
Json functionalConfig(const Functional& model) {
  std::unordered_map<const Node*, std::pair<std::string, int64_t>> nodeIds;
  std::unordered_map<const Layer*, int64_t> callsPerLayer;
  std::map<std::string, Json> entries;
  std::vector<std::string> order;
  for (const auto& node : model.nodes()) {
    const Layer* layer = node->layer.get();
    const int64_t index = callsPerLayer[layer]++ + callOffset(node->layer);
    nodeIds[node.get()] = {layer->name(), index};
    if (!entries.count(layer->name())) {
      Json layerConfig;
      if (auto sub = std::dynamic_pointer_cast<Model>(node->layer)) {
        layerConfig = modelToConfig(*sub);
      } else {
        layerConfig = {{"class_name", layer->className()}, {"config", layer->getConfig()}};
      }
      if (auto input = std::dynamic_pointer_cast<InputLayer>(node->layer))
        layerConfig["config"]["batch_input_shape"] = shapeToJson(input->shape());
      layerConfig["name"] = layer->name();
      layerConfig["inbound_nodes"] = Json::array();
      entries[layer->name()] = layerConfig;
      order.push_back(layer->name());
    }
    if (node->inputs.empty()) continue;
    Json call = Json::array();
    Json kwargs = Json::object();
    if (node->training) kwargs["training"] = *node->training;
    for (const auto& in : node->inputs) {
      const auto& [name, idx] = nodeIds.at(in.node.get());
      call.push_back({name, idx, 0, kwargs});
    }
    entries[layer->name()]["inbound_nodes"].push_back(call);
  }
  Json layers = Json::array();
  for (const auto& name : order) layers.push_back(entries[name]);
  auto refs = [&](const std::vector<SymbolicTensor>& ts) {
    Json out = Json::array();
    for (const auto& t : ts) {
      const auto& [name, idx] = nodeIds.at(t.node.get());
      out.push_back({name, idx, 0});
    }
    return out;
  };
  return {{"name", model.name()},
          {"trainable", model.trainable()},
          {"layers", layers},
          {"input_layers", refs(model.inputs())},
          {"output_layers", refs(model.outputs())}};
}

Json sequentialConfig(const Sequential& model) {
  Json layers = Json::array();
  bool first = true;
  for (const auto& layer : model.layers()) {
    Json entry;
    if (auto sub = std::dynamic_pointer_cast<Model>(layer)) {
      entry = modelToConfig(*sub);
    } else {
      entry = {{"class_name", layer->className()}, {"config", layer->getConfig()}};
    }
    if (first && model.inputShape()) entry["config"]["batch_input_shape"] = shapeToJson(*model.inputShape());
    first = false;
    layers.push_back(entry);
  }
  return {{"name", model.name()}, {"trainable", model.trainable()}, {"layers", layers}};
}
}  // namespace

ModelPtr modelFromConfig(const Json& modelConfig) { return parseModel(modelConfig, 0); }

Json modelToConfig(const Model& model) {
  if (auto f = dynamic_cast<const Functional*>(&model))
    return {{"class_name", "Model"}, {"config", functionalConfig(*f)}};
  if (auto s = dynamic_cast<const Sequential*>(&model))
    return {{"class_name", "Sequential"}, {"config", sequentialConfig(*s)}};
  fail<ValueError>("cannot serialize model '", model.name(), "' of class ", model.className());
}

}  // namespace tanuki::io
