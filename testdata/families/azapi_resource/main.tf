# azapi_resource family fixture (HCL mode), written for costgate from spec.json; plan.json beside it is made from the same spec by testdata/handmade_plan.py and must price the same.

provider "azapi" {}

variable "scratch_size_gb" {
  type = number
}

variable "openai_account_id" {
  type = string
}

resource "azapi_resource" "rg" {
  type = "Microsoft.Resources/resourceGroups@2021-04-01"
  name = "rg-ml"
  location = "westeurope"
  body = {}
}

resource "azapi_resource" "aks" {
  type = "Microsoft.ContainerService/managedClusters@2024-02-01"
  name = "aks-ml"
  location = "westeurope"
  body = {
    sku = {
      name = "Base"
      tier = "Standard"
    }
    properties = {
      dnsPrefix = "ml"
      agentPoolProfiles = [{
        name = "system"
        mode = "System"
        count = 3
        vmSize = "Standard_D4ds_v5"
        osDiskSizeGB = 128
        osDiskType = "Managed"
        osType = "Linux"
      }, {
        name = "gpu"
        mode = "User"
        count = 1
        enableAutoScaling = true
        minCount = 0
        maxCount = 2
        vmSize = "Standard_NC24ads_A100_v4"
        osDiskType = "Ephemeral"
        osType = "Linux"
      }]
    }
  }
}

resource "azapi_resource" "spot_pool" {
  type = "Microsoft.ContainerService/managedClusters/agentPools@2024-02-01"
  name = "spot"
  body = {
    properties = {
      vmSize = "Standard_NC6s_v3"
      count = 2
      scaleSetPriority = "Spot"
      osDiskSizeGB = 64
      mode = "User"
    }
  }
  parent_id = azapi_resource.aks.id
}

resource "azapi_resource" "win_vm" {
  type = "Microsoft.Compute/virtualMachines@2024-03-01"
  name = "jump"
  location = "eastus"
  body = jsonencode({
    properties = {
      hardwareProfile = {
        vmSize = "Standard_D2s_v5"
      }
      storageProfile = {
        osDisk = {
          osType = "Windows"
          diskSizeGB = 127
          managedDisk = {
            storageAccountType = "Premium_LRS"
          }
        }
      }
    }
  })
}

resource "azapi_resource" "old_gpu" {
  type = "Microsoft.Compute/virtualMachines@2024-03-01"
  name = "legacy-gpu"
  location = "eastus"
  body = {
    properties = {
      hardwareProfile = {
        vmSize = "Standard_NC6"
      }
      storageProfile = {
        osDisk = {
          osType = "Linux"
          diskSizeGB = 64
          managedDisk = {
            storageAccountType = "StandardSSD_LRS"
          }
        }
      }
    }
  }
}

resource "azapi_resource" "acr" {
  type = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name = "mlacr"
  location = "westeurope"
  body = {
    sku = {
      name = "Standard"
    }
    properties = {
      adminUserEnabled = false
    }
  }
}

resource "azapi_resource" "vmss" {
  type = "Microsoft.Compute/virtualMachineScaleSets@2024-03-01"
  name = "workers"
  location = "westeurope"
  body = {
    sku = {
      name = "Standard_D8s_v5"
      capacity = 2
    }
    properties = {
      virtualMachineProfile = {
        storageProfile = {
          osDisk = {
            diskSizeGB = 64
            managedDisk = {
              storageAccountType = "StandardSSD_LRS"
            }
          }
        }
      }
    }
  }
}

resource "azapi_resource" "pip" {
  type = "Microsoft.Network/publicIPAddresses@2023-09-01"
  name = "pip-ingress"
  location = "westeurope"
  body = {
    sku = {
      name = "Standard"
      tier = "Regional"
    }
    properties = {
      publicIPAllocationMethod = "Static"
    }
  }
}

resource "azapi_resource" "nat" {
  type = "Microsoft.Network/natGateways@2023-09-01"
  name = "nat"
  location = "westeurope"
  body = {
    sku = {
      name = "Standard"
    }
  }
}

resource "azapi_resource" "pe" {
  type = "Microsoft.Network/privateEndpoints@2023-09-01"
  name = "pe-kv"
  location = "westeurope"
  body = {
    properties = {}
  }
}

resource "azapi_resource" "data_disk" {
  type = "Microsoft.Compute/disks@2023-10-02"
  name = "scratch"
  location = "westeurope"
  body = {
    sku = {
      name = "Premium_LRS"
    }
    properties = {
      creationData = {
        createOption = "Empty"
      }
      diskSizeGB = var.scratch_size_gb
    }
  }
}

resource "azapi_resource" "ultra" {
  type = "Microsoft.Compute/disks@2023-10-02"
  name = "fast"
  location = "eastus"
  body = {
    sku = {
      name = "UltraSSD_LRS"
    }
    properties = {
      diskSizeGB = 1024
      diskIOPSReadWrite = 20000
      diskMBpsReadWrite = 500
      creationData = {
        createOption = "Empty"
      }
    }
  }
}

resource "azapi_resource" "sa" {
  type = "Microsoft.Storage/storageAccounts@2023-01-01"
  name = "mldata"
  location = "westus"
  body = {
    sku = {
      name = "Standard_LRS"
    }
    kind = "StorageV2"
    properties = {
      accessTier = "Hot"
    }
  }
}

resource "azapi_resource" "pg" {
  type = "Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview"
  name = "pg-ml"
  location = "eastus"
  body = {
    sku = {
      name = "Standard_D2ds_v4"
      tier = "GeneralPurpose"
    }
    properties = {
      version = "16"
      storage = {
        storageSizeGB = 128
      }
    }
  }
}

resource "azapi_resource" "gpt" {
  type = "Microsoft.CognitiveServices/accounts/deployments@2024-10-01"
  name = "gpt-4o"
  body = {
    sku = {
      name = "GlobalStandard"
      capacity = 10
    }
    properties = {
      model = {
        format = "OpenAI"
        name = "gpt-4o"
        version = "2024-11-20"
      }
    }
  }
  parent_id = var.openai_account_id
}

resource "azapi_resource" "site" {
  type = "Microsoft.Web/sites@2023-12-01"
  name = "api"
  location = "eastus"
  body = {
    properties = {}
  }
}

resource "azapi_update_resource" "aks_patch" {
  type = "Microsoft.ContainerService/managedClusters@2024-02-01"
  body = {
    properties = {
      autoUpgradeProfile = {
        upgradeChannel = "stable"
      }
    }
  }
  resource_id = azapi_resource.aks.id
}
